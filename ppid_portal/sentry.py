"""Error reporting to Sentry, optional: wired only when SENTRY_DSN is set, and only if sentry-sdk is installed
(`pip install ".[sentry]"`; the production image has it). A DSN without the package is a warning, not a crash: the
portal serves either way.

The portal holds personal data (identity scans, NIK, addresses, e-mail): Sentry gets no request bodies, no cookies
or user details (send_default_pii off), and no local variables of the failing frames."""

import logging

logger = logging.getLogger(__name__)


def sentry_init(dsn: str, *, environment: str, traces_sample_rate: float) -> bool:
    try:
        import sentry_sdk
        from sentry_sdk.integrations.celery import CeleryIntegration
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError:
        logger.warning("SENTRY_DSN is set but sentry-sdk is not installed: errors are NOT reported to Sentry. "
                       'Install it with: pip install "sentry-sdk>=2,<3" (the [sentry] extra).')
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
    )
    return True
