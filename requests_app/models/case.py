"""The information request (permohonan informasi), called a case on the government side."""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from opd_app.models import OPD
from requests_app import rules
from requests_app.rules import FINISHED_STATUSES, OVERDUE_NOTICE_OWED
from requests_app.validation import ON_BEHALF_OF_MAX_LENGTH, RECEIVED_NOTE_MAX_LENGTH

# What a partial grant withheld (Case.withheld): a paragraph, not a register.
WITHHELD_MAX_LENGTH = 2000


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Diterima")
    IN_PROCESS = "in_process", _("Diproses")
    EXTENDED = "extended", _("Diperpanjang")
    ANSWERED = "answered", _("Dijawab")
    CLOSED = "closed", _("Selesai")
    FORWARDED = "forwarded", _("Diteruskan")
    WITHDRAWN = "withdrawn", _("Dicabut")


STATUS_LABELS = dict(Status.choices)  # lazy labels: translated when rendered


class Decision(models.TextChoices):
    GRANTED = "granted", _("Dikabulkan seluruhnya")
    PARTIALLY_GRANTED = "partially_granted", _("Dikabulkan sebagian")
    REJECTED_EXEMPT = "rejected_exempt", _("Ditolak (informasi dikecualikan, Pasal 17)")
    NOT_HELD = "not_held", _("Informasi tidak dikuasai")
    NOT_DOCUMENTED = "not_documented", _("Informasi belum didokumentasikan")


class Exemption(models.TextChoices):
    """UU 14/2008 Pasal 17 letters."""

    A = "a", _("a. menghambat proses penegakan hukum")
    B = "b", _("b. mengganggu perlindungan HKI dan persaingan usaha tidak sehat")
    C = "c", _("c. membahayakan pertahanan dan keamanan negara")
    D = "d", _("d. mengungkapkan kekayaan alam Indonesia")
    E = "e", _("e. merugikan ketahanan ekonomi nasional")
    F = "f", _("f. merugikan kepentingan hubungan luar negeri")
    G = "g", _("g. mengungkapkan isi akta otentik pribadi dan wasiat")
    H = "h", _("h. mengungkap rahasia pribadi")
    I = "i", _("i. memorandum/surat antar badan publik yang dirahasiakan")  # noqa: E741
    J = "j", _("j. informasi yang tidak boleh diungkap berdasarkan undang-undang")


class RequesterType(models.TextChoices):
    INDIVIDUAL = "individual", _("Perorangan")
    LEGAL_ENTITY = "legal_entity", _("Badan hukum")
    GROUP = "group", _("Kelompok orang")


class ObtainMethod(models.TextChoices):
    VIEW = "view", _("Melihat/membaca/mendengarkan/mencatat")
    COPY = "copy", _("Mendapatkan salinan")


class CopyFormat(models.TextChoices):
    SOFTCOPY = "softcopy", _("Softcopy")
    HARDCOPY = "hardcopy", _("Hardcopy")


class IntakeChannel(models.TextChoices):
    """How a request reached the PPID (UU 14/2008 Pasal 22(1)-(4): written or not, each is recorded when received).
    `web` is the requester's own submission; the others are recorded by an officer (desk intake)."""

    WEB = "web", _("Formulir web")
    DESK = "desk", _("Loket (datang langsung)")
    LETTER = "letter", _("Surat")
    PHONE = "phone", _("Telepon")
    EMAIL = "email", _("E-mail")
    FAX = "fax", _("Faksimile")


# The channels an officer records a request from (the web form is the requester's own).
DESK_CHANNELS = [(value, label) for value, label in IntakeChannel.choices if value != IntakeChannel.WEB]


class DeliveryMethod(models.TextChoices):
    PICKUP = "pickup", _("Mengambil langsung")
    POST = "post", _("Pos")
    COURIER = "courier", _("Kurir")
    EMAIL = "email", _("E-mail")


def identity_upload_to(instance, filename):
    """A random name (the path must not reveal who the requester is) whose extension comes from the sniffed
    content type, never from the uploader's file name: a PDF sent as `evil.html` is stored as `.pdf`."""
    import secrets

    from requests_app.validation import IDENTITY_TYPES

    ext = IDENTITY_TYPES.get(instance.identity_document_type, "bin")
    return f"private/identity/{secrets.token_hex(16)}.{ext}"


def authority_upload_to(instance, filename):
    """Like identity_upload_to: a random name, the extension from the sniffed content type (the deed, registration
    or surat kuasa names the requester as much as an identity scan does)."""
    import secrets

    from requests_app.validation import IDENTITY_TYPES

    ext = IDENTITY_TYPES.get(instance.authority_document_type, "bin")
    return f"private/authority/{secrets.token_hex(16)}.{ext}"


# The requester's papers kept as files (personal data): served only to the case's officers, purged together by the
# retention sweep, deleted with the case.
REQUESTER_FILE_FIELDS = ("identity_document", "authority_document")


def requester_files_kept() -> models.Q:
    """The cases that still hold one of the requester's papers (REQUESTER_FILE_FIELDS)."""
    return ~models.Q(identity_document="") | ~models.Q(authority_document="")


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(rules.open_filter())

    def overdue_on(self, today):
        """Cases whose effective due date is before `today` and that still owe a written notice."""
        return self.filter(rules.overdue_filter(today))

    def stored_file_names(self) -> list[str]:
        """The stored files of these cases: the requester's papers, their attachments' files, the receipts of
        delivery and the letters kept as issued."""
        names = [name for row in self.filter(requester_files_kept()).values_list(*REQUESTER_FILE_FIELDS)
                 for name in row if name]
        names += CaseAttachment.objects.filter(case__in=self.values("pk")).values_list("file", flat=True)
        deliveries = self.model._meta.get_field("letter_deliveries").related_model  # LetterDelivery
        names += (deliveries.objects.filter(case__in=self.values("pk")).exclude(receipt_file="")
                  .values_list("receipt_file", flat=True))
        issued = self.model._meta.get_field("issued_letters").related_model  # IssuedLetter
        names += issued.objects.filter(case__in=self.values("pk")).exclude(file="").values_list("file", flat=True)
        return names

    def delete(self):
        # The cases' files (identity scans are personal data) go with the rows, once the delete is committed.
        from ppid_portal.files import files_delete_on_commit

        names = self.stored_file_names()
        result = super().delete()
        files_delete_on_commit(names)
        return result


class Case(models.Model):
    registration_number = models.CharField(_("nomor registrasi"), max_length=40, unique=True)
    # The OPD now holding the case (forwarding moves it) and the one that registered it (its number's prefix).
    opd = models.ForeignKey(OPD, on_delete=models.PROTECT, related_name="cases")
    registered_opd = models.ForeignKey(OPD, on_delete=models.PROTECT, related_name="registered_cases")
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    tracking_code_hash = models.CharField(max_length=128)

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    decision = models.CharField(max_length=24, choices=Decision.choices, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_cases"
    )

    # Clock. received_on is the working day the law counts from (a weekend receipt moves to Monday).
    received_at = models.DateTimeField()
    received_on = models.DateField()
    due_date = models.DateField()
    extended_due_date = models.DateField(null=True, blank=True)
    # = extended_due_date or due_date, kept in step by the services so queues sort and sweep on one index.
    effective_due_date = models.DateField(db_index=True)
    extension_reason = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # Working days from received_on to the WITA date of answered_at, set when answered, so dashboards take
    # medians and percentiles in SQL (compliance selectors) instead of walking the calendar per case.
    answer_working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)
    # The due date whose overdue notice the sweep has claimed (its DeadlineNotice exists); stamped in the same
    # UPDATE as `overdue_at`. While it differs from effective_due_date, an overdue open case still owes that
    # notice: the partial index below holds only those cases, so a sweep with nothing to send costs nothing per
    # overdue case (measured in bench/).
    overdue_notice_due = models.DateField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set when the Atasan PPID upholds a keberatan on an answered case (rules.follow_up_due_date), cleared when the
    # follow-up written notice is sent: while set, the case is back in the officer's queue on this date. The first
    # notice's answered_at and figures stay as they were.
    follow_up_due_date = models.DateField(null=True, blank=True)
    forward_count = models.PositiveSmallIntegerField(default=0)
    # Loaded from an OPD's earlier register (services.register_import) so the figures of past years are complete:
    # no tracking code, no e-mail to the requester, no identity scan; finished (closed or withdrawn) on import.
    imported = models.BooleanField(default=False, db_default=False, editable=False)

    # Decision details (written notice, Pasal 22(7)).
    exemption = models.CharField(max_length=1, choices=Exemption.choices, blank=True)
    consequence_test = models.TextField(blank=True)
    # The DIK entry a refusal or a partial grant rests on (valid on the day of the decision); `exemption` and
    # `consequence_test` are copied from it when the notice is sent, so the figures and the notice keep the values
    # of that day when the entry is revised later.
    dik_entry = models.ForeignKey("requests_app.DikEntry", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="cases")
    # What a partial grant withheld (the written notice says it, Pasal 22(7)).
    withheld = models.CharField(_("informasi yang tidak diberikan"), max_length=WITHHELD_MAX_LENGTH, blank=True,
                                default="")
    holder = models.CharField(max_length=255, blank=True)
    answer_note = models.TextField(blank=True)
    cost_note = models.CharField(max_length=255, blank=True)

    # Requester (pemohon): personal data, visible only to the roles handling the case.
    requester_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="own_requests"
    )
    name = models.CharField(_("nama"), max_length=200)
    identity_number = models.CharField(_("nomor identitas"), max_length=32)
    # Empty once the retention sweep has purged the scan (services.retention); the text columns stay.
    identity_document = models.FileField(upload_to=identity_upload_to, blank=True)
    # The scan's MIME type as its content showed at upload: it is stored and served under this type.
    identity_document_type = models.CharField(max_length=100, blank=True, editable=False)
    address = models.TextField(_("alamat"))
    phone = models.CharField(_("telepon"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    occupation = models.CharField(_("pekerjaan"), max_length=120, blank=True)
    requester_type = models.CharField(max_length=16, choices=RequesterType.choices)
    information_requested = models.TextField(_("rincian informasi"))
    purpose = models.TextField(_("tujuan penggunaan"))
    obtain_method = models.CharField(max_length=8, choices=ObtainMethod.choices)
    copy_format = models.CharField(max_length=8, choices=CopyFormat.choices, blank=True)
    delivery_method = models.CharField(max_length=8, choices=DeliveryMethod.choices)
    publish_consent = models.BooleanField(default=False)
    language = models.CharField(max_length=8, default="id")
    # Who the request is filed for, when the requester files for someone else (then with a surat kuasa).
    on_behalf_of = models.CharField(_("atas nama"), max_length=ON_BEHALF_OF_MAX_LENGTH, blank=True, default="")
    # A legal entity's deed or registration, a group's papers, or the surat kuasa of someone filing for another
    # (validation.authority_document_required); stored and served like the identity scan, purged with it.
    authority_document = models.FileField(upload_to=authority_upload_to, blank=True, default="")
    authority_document_type = models.CharField(max_length=100, blank=True, default="", editable=False)

    # Intake: how the request reached the PPID; one received at the desk (or by letter, phone, e-mail, fax) is
    # recorded by an officer, with received_at as given and a note when that lies in the past
    # (validation.received_errors). The identity scan may then follow later: identity_owed says it still does.
    channel = models.CharField(max_length=8, choices=IntakeChannel.choices, default=IntakeChannel.WEB,
                               db_default=IntakeChannel.WEB)
    received_note = models.CharField(max_length=RECEIVED_NOTE_MAX_LENGTH, blank=True, default="")
    identity_owed = models.BooleanField(default=False, db_default=False)

    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["effective_due_date", "received_at"]
        constraints = [
            models.UniqueConstraint(fields=["registered_opd", "year", "sequence"], name="uniq_case_sequence"),
        ]
        indexes = [
            models.Index(fields=["opd", "status", "effective_due_date"], name="case_queue_idx"),
            models.Index(fields=["status", "effective_due_date"], name="case_open_due_idx"),
            models.Index(fields=["received_at"], name="case_received_idx"),
            models.Index(fields=["assigned_to", "status"], name="case_assignee_idx"),
            # The officer queue's default view (the work owed by an OPD: open cases and follow-ups of upheld
            # keberatan, by the date owed): a walk of this partial index returns the first page without sorting or
            # skipping the finished cases (measured in bench/).
            models.Index(F("opd"), rules.date_owed_expression(), F("received_at"), F("id"),
                         condition=rules.work_owed_filter(), name="case_work_queue_idx"),
            # The sweep's overdue notices: open cases whose current due date has no overdue notice yet.
            models.Index(fields=["effective_due_date"], condition=OVERDUE_NOTICE_OWED,
                         name="case_overdue_unnotified_idx"),
            # The retention sweep's candidates: finished cases that still hold an identity scan or authority
            # document. Purged files leave the index, so a sweep reads the papers near or past their end, not the
            # whole closed archive.
            models.Index(fields=["closed_at"], condition=models.Q(status__in=FINISHED_STATUSES)
                         & requester_files_kept(), name="case_scan_retained_idx"),
        ]

    def __str__(self):
        return self.registration_number

    def delete(self, *args, **kwargs):
        # The requester's papers and the attachments' files go with the row, once the delete is committed.
        from ppid_portal.files import files_delete_on_commit

        names = Case.objects.filter(pk=self.pk).stored_file_names() if self.pk else []
        result = super().delete(*args, **kwargs)
        files_delete_on_commit(names)
        return result

    def get_status_display(self) -> str:
        """The status's label. Django's generated method rebuilds and hashes the whole choices list on every call;
        queues and timelines call this for every row (measured in bench/)."""
        return STATUS_LABELS.get(self.status, self.status)

    # Single-object rules ------------------------------------------------------------------------
    # The rules live in requests_app.rules; these read them for one case (templates call them).
    @property
    def is_open(self) -> bool:
        return rules.is_open(self.status)

    def is_overdue(self, today=None) -> bool:
        from ppid_portal.clock import today_wita

        return rules.is_overdue(self.status, self.effective_due_date, today or today_wita())

    def extension_refusal(self, today=None) -> str | None:
        """Why this case may not be extended today, or None if it may (rules.extension_refusal)."""
        from ppid_portal.clock import today_wita

        return rules.extension_refusal(status=self.status, due_date=self.due_date,
                                       extended_due_date=self.extended_due_date, today=today or today_wita())

    def can_extend(self, today=None) -> bool:
        return self.extension_refusal(today) is None

    @property
    def follow_up_owed(self) -> bool:
        """An upheld keberatan waits for the follow-up notice (rules.follow_up_owed)."""
        return rules.follow_up_owed(self.status, self.follow_up_due_date)

    def follow_up_objection(self):
        """The upheld keberatan whose follow-up is owed (the latest), or None."""
        if not self.follow_up_owed:
            return None
        from requests_app.models.objection import ObjectionOutcome

        return self.objections.filter(outcome=ObjectionOutcome.UPHELD).order_by("-answered_at").first()


class RegistrationCounter(models.Model):
    """Per OPD per year sequence, locked row by row so numbers are gap-free under concurrency."""

    opd = models.ForeignKey(OPD, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["opd", "year"], name="uniq_counter")]


class LetterCounter(models.Model):
    """Per OPD per year register of outgoing letters (nomor surat), gap-free like registration numbers'."""

    opd = models.ForeignKey(OPD, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["opd", "year"], name="uniq_letter_counter")]


def attachment_upload_to(instance, filename):
    import secrets

    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"private/cases/{secrets.token_hex(16)}.{ext}"


class CaseAttachmentQuerySet(models.QuerySet):
    def delete(self):
        from ppid_portal.files import files_delete_on_commit

        names = list(self.values_list("file", flat=True))
        result = super().delete()
        files_delete_on_commit(names)
        return result


class CaseAttachment(models.Model):
    """A file sent to the requester with a case (letter or answer material). Private until published."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Tanda bukti penerimaan")
        NOTICE = "notice", _("Pemberitahuan tertulis")
        EXTENSION = "extension", _("Pemberitahuan perpanjangan")
        MATERIAL = "material", _("Informasi yang diberikan")
        OBJECTION_RECEIPT = "objection_receipt", _("Tanda bukti keberatan")
        OBJECTION_ANSWER = "objection_answer", _("Tanggapan atas keberatan")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    file = models.FileField(upload_to=attachment_upload_to)
    filename = models.CharField(max_length=255)
    # The nomor surat printed on a letter the portal wrote and sent; blank for receipts and material.
    letter_number = models.CharField(max_length=40, blank=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    public = models.BooleanField(default=True, help_text="the requester may download it with the tracking code")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField()

    objects = CaseAttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def delete(self, *args, **kwargs):
        from ppid_portal.files import files_delete_on_commit

        name = self.file.name
        result = super().delete(*args, **kwargs)
        files_delete_on_commit([name])
        return result
