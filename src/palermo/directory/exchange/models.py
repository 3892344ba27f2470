"""The keys a State gives its entries in exchange files, so that a re-import updates them.

An authority or contact person keeps the reference (``authority_ref``, ``contact_ref``) under
which it was last imported. Entries never imported are exported under ``A<number>`` and
``C<number>``, their numbers in this Palermo, and an import of that file finds them again.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.directory.models import Authority, ContactPerson
from palermo.reference.models import State


class AuthorityKey(models.Model):
    authority = models.OneToOneField(Authority, on_delete=models.CASCADE, primary_key=True,
                                     related_name="exchange_key")
    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="+")
    ref = models.CharField(_("reference"), max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["state", "ref"],
                                               name="authority_key_unique")]
        verbose_name = _("authority reference")
        verbose_name_plural = _("authority references")

    def __str__(self) -> str:
        return self.ref


class ContactKey(models.Model):
    contact = models.OneToOneField(ContactPerson, on_delete=models.CASCADE, primary_key=True,
                                   related_name="exchange_key")
    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="+")
    ref = models.CharField(_("reference"), max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["state", "ref"],
                                               name="contact_key_unique")]
        verbose_name = _("contact person reference")
        verbose_name_plural = _("contact person references")

    def __str__(self) -> str:
        return self.ref
