"""Reference data: States, instruments, their provisions and texts, and participation.

All of it is real and cites a :class:`Source`. Where something is not known it is left
empty and shown as "not known"; nothing is guessed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from palermo.core.models import TimeStampedModel


class Source(TimeStampedModel):
    """Where a piece of reference data comes from."""

    tag = models.SlugField(_("tag"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("address"), max_length=500, blank=True)
    as_at = models.DateField(_("data as at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["tag"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.tag


class RegionalGroup(models.Model):
    """One of the five United Nations regional groups of Member States."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("regional group")
        verbose_name_plural = _("regional groups")

    def __str__(self) -> str:
        return self.name


class State(models.Model):
    """A State or other entity that is or can become a party to the instruments."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("United Nations Member State")
        OBSERVER = "observer", _("Non-member observer State")
        OTHER = "other", _("Other State")
        REIO = "reio", _("Regional economic integration organization")

    code = models.CharField(
        _("code"), max_length=3, unique=True,
        help_text=_("ISO 3166-1 alpha-3 code; EU for the European Union."),
    )
    iso2 = models.CharField(_("ISO 3166-1 alpha-2"), max_length=2, unique=True)
    iso_numeric = models.CharField(_("ISO 3166-1 numeric"), max_length=3, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    regional_groups = models.ManyToManyField(
        RegionalGroup, blank=True, related_name="states", verbose_name=_("regional groups")
    )
    names_source = models.CharField(_("source of names"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("State")
        verbose_name_plural = _("States")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("reference:state", kwargs={"code": self.code.lower()})


class Instrument(models.Model):
    """A treaty: UNTOC, its Protocols, UNCAC, the 1988 Convention."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=120)
    abbreviation = models.CharField(_("abbreviation"), max_length=80)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="protocols",
        verbose_name=_("supplements"),
    )
    position = models.PositiveSmallIntegerField(default=0)
    adopted_on = models.DateField(_("adopted"))
    adopted_by = models.CharField(_("adopted by"), max_length=200, blank=True)
    entry_into_force_on = models.DateField(_("entry into force"))
    depositary_reference = models.CharField(
        _("UN Treaty Collection chapter"), max_length=30, blank=True
    )
    status_url = models.URLField(_("status page"), max_length=500, blank=True)
    official_signatories = models.PositiveSmallIntegerField(
        _("signatories (official count)"), null=True, blank=True
    )
    official_parties = models.PositiveSmallIntegerField(
        _("parties (official count)"), null=True, blank=True
    )
    official_count_as_at = models.DateField(_("official count as at"), null=True, blank=True)
    official_count_source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("source of the official count"),
    )
    text_source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("source of the text"),
    )

    class Meta:
        ordering = ["position"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")

    def __str__(self) -> str:
        return self.abbreviation

    def get_absolute_url(self) -> str:
        return reverse("reference:instrument", kwargs={"code": self.code})


class Article(models.Model):
    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="articles"
    )
    number = models.PositiveSmallIntegerField(_("article"))
    title = models.CharField(_("title"), max_length=300, blank=True)
    intro = models.TextField(blank=True)

    class Meta:
        ordering = ["instrument", "number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="article_unique")
        ]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return f"{self.instrument.abbreviation} art. {self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "reference:article",
            kwargs={"code": self.instrument.code, "number": self.number},
        )


class Paragraph(models.Model):
    """A numbered paragraph of an article; an article without numbers has one, number 0."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="paragraphs")
    number = models.PositiveSmallIntegerField(_("paragraph"))
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="paragraph_unique")
        ]

    def __str__(self) -> str:
        return f"{self.article}({self.number})"

    @property
    def anchor(self) -> str:
        return f"p{self.number}"


class Provision(models.Model):
    """A provision under which a State designates or notifies an authority or a fact."""

    class Subject(models.TextChoices):
        CENTRAL_AUTHORITY = (
            "central_authority", _("Central authority for mutual legal assistance")
        )
        LANGUAGES = "languages", _("Languages acceptable for requests")
        EXTRADITION = "extradition", _("Extradition")
        TRANSFER = "transfer", _("Transfer of sentenced persons")
        SEA = "sea", _("Requests concerning vessels at sea")
        FIREARMS = "firearms", _("National body or single point of contact on firearms")
        CONFISCATION = "confiscation", _("International cooperation for confiscation")

    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="provisions"
    )
    code = models.SlugField(_("code"), max_length=40)
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="provisions")
    paragraph = models.ForeignKey(
        Paragraph, null=True, blank=True, on_delete=models.PROTECT, related_name="provisions"
    )
    subparagraph = models.CharField(max_length=4, blank=True)
    subject = models.CharField(_("subject"), max_length=30, choices=Subject.choices)
    title = models.CharField(_("what is designated or notified"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["instrument", "position"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="provision_unique")
        ]
        verbose_name = _("provision")
        verbose_name_plural = _("provisions")

    def __str__(self) -> str:
        return f"{self.instrument.abbreviation} {self.citation}"

    def get_absolute_url(self) -> str:
        url = self.article.get_absolute_url()
        if self.paragraph is not None:
            url += f"#{self.paragraph.anchor}"
        return url

    @property
    def localized_citation(self) -> str:
        """The citation in the active language, for pages and documents."""
        from .citations import format_citation

        paragraph = self.paragraph.number if self.paragraph is not None else None
        return format_citation(self.article.number, paragraph, self.subparagraph)

    @property
    def citation(self) -> str:
        """The citation in the form the treaty texts use (art. 16(5)(a)), for data and the API."""
        cite = f"art. {self.article.number}"
        if self.paragraph_id is not None and self.paragraph is not None:
            cite += f"({self.paragraph.number})"
        if self.subparagraph:
            cite += f"({self.subparagraph})"
        return cite


class Participation(TimeStampedModel):
    """A State's signature of, and consent to be bound by, an instrument, as recorded."""

    class Action(models.TextChoices):
        RATIFICATION = "r", _("Ratification")
        ACCESSION = "a", _("Accession")
        ACCEPTANCE = "A", _("Acceptance")
        APPROVAL = "AA", _("Approval")
        SUCCESSION = "d", _("Succession")
        FORMAL_CONFIRMATION = "c", _("Formal confirmation")

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="participations",
                              verbose_name=_("State"))
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT,
                                   related_name="participations", verbose_name=_("instrument"))
    signed_on = models.DateField(_("signature"), null=True, blank=True)
    consent_on = models.DateField(
        _("ratification, accession, acceptance, approval or succession"), null=True, blank=True
    )
    action = models.CharField(_("action"), max_length=2, choices=Action.choices, blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="participations",
                               verbose_name=_("source"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["instrument", "state__code"]
        constraints = [
            models.UniqueConstraint(fields=["state", "instrument"], name="participation_unique"),
            models.CheckConstraint(
                condition=Q(signed_on__isnull=False) | Q(consent_on__isnull=False),
                name="participation_has_a_date",
            ),
            models.CheckConstraint(
                condition=Q(consent_on__isnull=True) | ~Q(action=""),
                name="participation_consent_has_action",
            ),
        ]
        verbose_name = _("participation")
        verbose_name_plural = _("participation")

    def __str__(self) -> str:
        return f"{self.state} — {self.instrument}"

    @property
    def is_party(self) -> bool:
        return self.consent_on is not None

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        today = timezone.localdate()
        if self.signed_on is None and self.consent_on is None:
            errors.setdefault("signed_on", []).append(
                str(_("Give a signature date, a ratification or accession date, or both."))
            )
        for field in ("signed_on", "consent_on"):
            value = getattr(self, field)
            if value is not None and value > today:
                errors.setdefault(field, []).append(str(_("This date is in the future.")))
        if self.consent_on is not None and not self.action:
            errors.setdefault("action", []).append(
                str(_("Say whether this was a ratification, accession, acceptance, approval "
                      "or succession."))
            )
        if self.consent_on is None and self.action:
            errors.setdefault("consent_on", []).append(
                str(_("Give the date of the ratification, accession, acceptance, approval "
                      "or succession."))
            )
        if (
            self.signed_on is not None
            and self.consent_on is not None
            and self.consent_on < self.signed_on
        ):
            errors.setdefault("consent_on", []).append(
                str(_("Ratification, acceptance or approval cannot precede signature."))
            )
        if (self.instrument_id and self.signed_on
                and self.signed_on < self.instrument.adopted_on):
            errors.setdefault("signed_on", []).append(
                str(_("The instrument was not yet adopted on this date."))
            )
        if errors:
            raise ValidationError(errors)


class Language(models.Model):
    """A language in which requests can be written or contacts speak (ISO 639-1)."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_un_official = models.BooleanField(_("official language of the United Nations"),
                                         default=False)

    class Meta:
        ordering = ["-is_un_official", "code"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return self.name
