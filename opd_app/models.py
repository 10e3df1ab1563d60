"""The OPD directory (perangkat daerah) and the PPID roles officers hold in them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OPDKind(models.TextChoices):
    SEKRETARIAT = "sekretariat", _("Sekretariat")
    INSPEKTORAT = "inspektorat", _("Inspektorat")
    BADAN = "badan", _("Badan")
    DINAS = "dinas", _("Dinas")
    SATUAN = "satuan", _("Satuan")


class OPD(models.Model):
    """An organisational unit that runs a PPID (Pelaksana, or Utama for Diskominfo)."""

    code = models.CharField(_("kode"), max_length=16, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=16, choices=OPDKind.choices)
    is_ppid_utama = models.BooleanField(_("PPID Utama"), default=False)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.CharField(_("situs web"), max_length=200, blank=True)
    head_title = models.CharField(_("jabatan pimpinan"), max_length=200, blank=True)
    ppid_title = models.CharField(_("sebutan PPID"), max_length=200, blank=True)
    # Who signs the PPID's letters. Blank title: the letters print the PPID title and the OPD's name.
    signatory_name = models.CharField(_("nama penanda tangan"), max_length=200, blank=True)
    signatory_title = models.CharField(
        _("jabatan penanda tangan"), max_length=200, blank=True,
        help_text=_("Kosongkan untuk memakai sebutan PPID dan nama OPD, mis. “PPID Pelaksana Dinas Kesehatan”."))
    signatory_nip = models.CharField(_("NIP penanda tangan"), max_length=32, blank=True)

    class Meta:
        ordering = ["-is_ppid_utama", "name"]
        verbose_name = "OPD"
        verbose_name_plural = "OPD"

    def __str__(self):
        return f"{self.name} ({self.code})"

    def default_signature_lines(self) -> list[str]:
        return [self.ppid_title or "PPID", self.name]

    def signature_lines(self) -> list[str]:
        """The title under which the PPID signs the OPD's letters, line by line."""
        return [self.signatory_title] if self.signatory_title else self.default_signature_lines()


class Role(models.TextChoices):
    PELAKSANA = "pelaksana", _("Petugas PPID Pelaksana")
    ATASAN = "atasan", _("Atasan PPID")
    UTAMA = "utama", _("Admin PPID Utama")


class Membership(models.Model):
    """A user's role in an OPD. `utama` memberships sit on the PPID Utama OPD and reach every OPD."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ppid_roles")
    opd = models.ForeignKey(OPD, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "opd", "role"], name="uniq_membership")]
        indexes = [models.Index(fields=["opd", "role"])]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.opd.code}"
