"""The directory of competent national authorities (decision 3/2 f, g).

Authorities, what they are designated for, who to contact there, each State's profile of
requirements per measure, and the resources practitioners use. Every authority, contact and
profile section is public or restricted; reads go through :mod:`palermo.directory.access`.

Their history is registered in ``translation.py``, after the translated fields exist, so that
the history keeps the names in every language.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from palermo.core.models import TimeStampedModel, VersionedModel, Visibility
from palermo.core.validators import validate_e164, validate_time_zone
from palermo.reference.models import Instrument, Language, Provision, State


class Channel(models.TextChoices):
    POST = "post", _("Post")
    EMAIL = "email", _("E-mail")
    FAX = "fax", _("Fax")
    DIPLOMATIC = "diplomatic", _("Diplomatic channel")
    INTERPOL = "interpol", _("INTERPOL")
    DIRECT = "direct", _("Direct contact between judicial authorities")
    SECURE = "secure", _("Secure electronic channel")


class Function(models.TextChoices):
    """What an authority is designated to do."""

    RECEIVE_MLA = "receive_mla", _("Receive and execute requests for mutual legal assistance")
    SEND_MLA = "send_mla", _("Send requests for mutual legal assistance")
    EXTRADITION = "extradition", _("Extradition")
    TRANSFER = "transfer", _("Transfer of sentenced persons")
    SEA = "sea", _("Requests concerning vessels at sea")
    FIREARMS = "firearms", _("Liaison on firearms")
    CONFISCATION = "confiscation", _("Freezing, seizure and confiscation")
    ASSET_RECOVERY = "asset_recovery", _("Asset recovery")


class Measure(models.TextChoices):
    """The measures a State profile describes (decision 3/2 g(iii))."""

    MLA = "mla", _("Mutual legal assistance")
    EXTRADITION = "extradition", _("Extradition")
    TRANSFER = "transfer", _("Transfer of sentenced persons")
    CONFISCATION = "confiscation", _("Seizure and confiscation")
    SEA = "sea", _("Smuggling of migrants by sea")


def validate_channels(value: object) -> None:
    if not isinstance(value, list) or any(item not in Channel.values for item in value):
        raise ValidationError(_("Choose channels from the list."), code="invalid_channel")
    if len(set(value)) != len(value):
        raise ValidationError(_("Each channel may be chosen once."), code="duplicate_channel")


class Authority(VersionedModel):
    class Kind(models.TextChoices):
        CENTRAL = "central", _("Central authority")
        COMPETENT = "competent", _("Competent authority")
        FOCAL_POINT = "focal_point", _("Focal point")
        LIAISON = "liaison", _("Liaison")

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="authorities",
                              verbose_name=_("State"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="children", verbose_name=_("part of"))
    name = models.CharField(_("name"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    street_address = models.TextField(_("street address"), max_length=500, blank=True)
    postal_address = models.TextField(_("postal address"), max_length=500, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True, db_index=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone],
                                 help_text=_("IANA time zone, such as Europe/Vienna."))
    website = models.URLField(_("website"), max_length=500, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=20, blank=True,
                             validators=[validate_e164])
    fax = models.CharField(_("fax"), max_length=20, blank=True, validators=[validate_e164])
    channels = models.JSONField(_("channels accepted"), default=list, blank=True,
                                validators=[validate_channels])
    originals_required = models.BooleanField(
        _("electronic copies must be followed by originals"), default=False)
    urgent_channel = models.CharField(_("channel for urgent requests"), max_length=20,
                                      choices=Channel.choices, blank=True)
    urgent_contact = models.CharField(
        _("contact available at all hours"), max_length=200, blank=True,
        help_text=_("Telephone or e-mail reachable 24 hours a day, 7 days a week."))
    accepted_languages = models.ManyToManyField(
        Language, blank=True, related_name="+", verbose_name=_("languages accepted for requests"))
    visibility = models.CharField(_("visibility"), max_length=12, choices=Visibility.choices,
                                  default=Visibility.PUBLIC)
    is_demo = models.BooleanField(_("fictional demo entry"), default=False, editable=False)

    class Meta:
        ordering = ["state__code", "kind", "name"]
        indexes = [models.Index(fields=["state", "visibility"])]
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:authority", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.parent_id is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": _("An authority cannot be part of itself.")})
        if self.parent is not None and self.parent.state_id != self.state_id:
            raise ValidationError({"parent": _("The parent authority belongs to another State.")})


class OfficeHours(models.Model):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE,
                                  related_name="office_hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["authority", "weekday", "opens"]
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens >= self.closes:
            raise ValidationError({"closes": _("The office must close after it opens.")})


# What a page needs to cite a designation's provision and link to its text, in one query.
DESIGNATION_RELATED = ("provision__instrument", "provision__article__instrument",
                       "provision__paragraph")


class Designation(TimeStampedModel):
    """What an authority is designated for, under which provision of which instrument."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE,
                                  related_name="designations", verbose_name=_("authority"))
    provision = models.ForeignKey(Provision, on_delete=models.PROTECT,
                                  related_name="designations", verbose_name=_("provision"))
    function = models.CharField(_("function"), max_length=20, choices=Function.choices)
    scope_note = models.TextField(_("scope"), max_length=2000, blank=True)
    notified_on = models.DateField(_("notified to the depositary"), null=True, blank=True)
    source = models.CharField(_("source of the notification"), max_length=300, blank=True)

    class Meta:
        ordering = ["provision__instrument__position", "provision__position", "function"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "provision", "function"],
                                    name="designation_unique"),
        ]
        verbose_name = _("designation")
        verbose_name_plural = _("designations")

    def __str__(self) -> str:
        return f"{self.authority} — {self.provision} ({self.get_function_display()})"


class ContactPerson(VersionedModel):
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="contacts",
                                  verbose_name=_("authority"))
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    languages = models.ManyToManyField(Language, blank=True, related_name="+",
                                       verbose_name=_("languages spoken"))
    phone = models.CharField(_("telephone"), max_length=20, blank=True,
                             validators=[validate_e164])
    email = models.EmailField(_("e-mail"), blank=True)
    visibility = models.CharField(_("visibility"), max_length=12, choices=Visibility.choices,
                                  default=Visibility.RESTRICTED)
    is_demo = models.BooleanField(_("fictional demo entry"), default=False, editable=False)

    class Meta:
        ordering = ["authority", "name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return self.name


class ProfileSection(VersionedModel):
    """One measure of a State's profile: what a request to this State needs (3/2 g(iii))."""

    class LegalBasis(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        TREATY_REQUIRED = "treaty", _("Only with a treaty")
        UNKNOWN = "", _("Not stated")

    class DualCriminality(models.TextChoices):
        REQUIRED = "required", _("Required")
        NOT_REQUIRED = "not_required", _("Not required")
        COERCIVE_ONLY = "coercive", _("Required for coercive measures only")
        UNKNOWN = "", _("Not stated")

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="profile_sections",
                              verbose_name=_("State"))
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    untoc_legal_basis = models.CharField(
        _("the Convention is accepted as a legal basis"), max_length=10,
        choices=LegalBasis.choices, blank=True)
    dual_criminality = models.CharField(_("dual criminality"), max_length=20,
                                        choices=DualCriminality.choices, blank=True)
    languages = models.ManyToManyField(Language, blank=True, related_name="+",
                                       verbose_name=_("languages accepted"))
    channels = models.JSONField(_("channels"), default=list, blank=True,
                                validators=[validate_channels])
    summary = models.TextField(_("legal and procedural requirements"), max_length=10000,
                               blank=True)
    treaties = models.TextField(_("bilateral and regional treaties in force"),
                                max_length=10000, blank=True)
    alternative_arrangements = models.TextField(_("alternative arrangements"),
                                                max_length=5000, blank=True)
    urgent_procedure = models.TextField(_("urgent procedure"), max_length=5000, blank=True)
    costs = models.TextField(_("costs"), max_length=5000, blank=True)
    visibility = models.CharField(_("visibility"), max_length=12, choices=Visibility.choices,
                                  default=Visibility.PUBLIC)
    is_demo = models.BooleanField(_("fictional demo entry"), default=False, editable=False)

    class Meta:
        ordering = ["state__code", "measure"]
        constraints = [
            models.UniqueConstraint(fields=["state", "measure"], name="profile_section_unique"),
        ]
        verbose_name = _("profile section")
        verbose_name_plural = _("profile sections")

    def __str__(self) -> str:
        return f"{self.state} — {self.get_measure_display()}"


class ChecklistItem(models.Model):
    """What a request to this State must contain beyond art. 18(15)."""

    section = models.ForeignKey(ProfileSection, on_delete=models.CASCADE,
                                related_name="checklist")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("element"), max_length=500)

    class Meta:
        ordering = ["section", "position"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self) -> str:
        return self.text


class LawLink(models.Model):
    section = models.ForeignKey(ProfileSection, on_delete=models.CASCADE, related_name="laws")
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("address"), max_length=500)

    class Meta:
        ordering = ["section", "title"]
        verbose_name = _("national law")
        verbose_name_plural = _("national laws")

    def __str__(self) -> str:
        return self.title


class Resource(TimeStampedModel):
    """Model treaties, laws, manuals, tools and reports (decision 3/2 g(iv))."""

    class Kind(models.TextChoices):
        MODEL_TREATY = "model_treaty", _("Model treaty")
        MODEL_LAW = "model_law", _("Model law")
        MANUAL = "manual", _("Manual or guide")
        TOOL = "tool", _("Tool")
        REPORT = "report", _("Report")
        LEGISLATIVE_GUIDE = "legislative_guide", _("Legislative guide")

    title = models.CharField(_("title"), max_length=400)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    reference = models.CharField(_("document symbol or reference"), max_length=120, blank=True)
    url = models.URLField(_("address"), max_length=500)
    languages = models.ManyToManyField(Language, blank=True, related_name="+",
                                       verbose_name=_("languages"))
    instruments: models.ManyToManyField[Instrument, Any] = models.ManyToManyField(
        Instrument, blank=True, related_name="resources", verbose_name=_("instruments"))
    provisions: models.ManyToManyField[Provision, Any] = models.ManyToManyField(
        Provision, blank=True, related_name="resources", verbose_name=_("provisions"))

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self) -> str:
        return self.title


class AuthoritySearchEntry(models.Model):
    """The normalized text by which an authority is found; derived data, never edited.

    Written only by :mod:`palermo.directory.search` (signals and ``reindex_directory``). On
    SQLite an FTS5 trigram table follows it; on PostgreSQL a trigram GIN index covers it.
    Reads go through the access layer: the entry of a restricted authority is as restricted.
    """

    authority = models.OneToOneField(Authority, on_delete=models.CASCADE, primary_key=True,
                                     related_name="search_entry")
    names = models.TextField()  # the authority's names in every language and its acronym
    document = models.TextField()  # the names, and everything else it is found by

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self) -> str:
        return f"search entry of authority {self.authority_id}"
