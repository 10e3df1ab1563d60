"""The requester's proof on the public API: a registration number and its tracking code. A pair that does not match
is a 404 in the same words everywhere and counts as a failed look-up on the track throttle, so guessing codes is
limited whichever endpoint is tried."""

from rest_framework.exceptions import NotFound

from ppid_portal.api import TrackThrottle
from requests_app.selectors.tracking import find_tracked_case

NOT_MATCHED = "Nomor registrasi atau kode pelacakan tidak cocok."


class TrackedCaseMixin:
    """For an APIView whose throttles include TrackThrottle."""

    def tracked_case_or_404(self, registration_number: str, tracking_code: str):
        case = find_tracked_case(registration_number, tracking_code)
        if case is None:
            for throttle in self.get_throttles():
                if isinstance(throttle, TrackThrottle):
                    throttle.register_failure()
            raise NotFound(NOT_MATCHED)
        return case

    def get_throttles(self):
        # The same instances that allowed the request count its failure.
        if not hasattr(self, "_throttles"):
            self._throttles = super().get_throttles()
        return self._throttles
