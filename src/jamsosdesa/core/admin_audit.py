"""Every add, change and delete made in Django's admin goes to the audit trail (`admin_record.changed`): who, which
model (`object_type` is the model's label, e.g. `contributions.rate`), which object, and the old and new values of
the fields that changed (every field for an add or a delete; secrets such as a password hash only as `***`).

It hangs on the admin's own logging hooks (`log_addition`, `log_change`, `log_deletions`), which Django calls
after every save and before every delete, from the change form, the list's inline editing, the password form and
the delete action alike, inside the admin's transaction. The values before a change are taken when the admin
loads the object (`get_object`, or `save_model` for the list's inline editing), before its form touches it.

Every ModelAdmin of the project derives from `AuditedAdmin`; `audit_every_admin` (core's ready()) gives it to the
ones Django and libraries register (groups, axes' login records). A model whose admin already writes its own
event on save (the arrears policy) sets `audit_admin_edits = False`, so its edits are not recorded twice.
"""

import datetime
import decimal
import uuid

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .audit import audit_record, diff
from .models import AuditEventType

SECRET_FIELDS = frozenset({"password", "key_hash"})
HIDDEN = "***"
_BEFORE = "_jamsosdesa_admin_audit_before"
NOTE_LIMIT = 200


def _plain(value):
    """A field's value as JSON keeps it (and compares it: a moment in UTC, as the database gives it back, whatever
    time zone the form read it in)."""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return HIDDEN
    return value


def record_values(obj) -> dict:
    """The object's stored values by field name: a foreign key as its id, a many-to-many as the sorted ids."""
    values = {}
    for field in obj._meta.concrete_fields:
        values[field.name] = _plain(field.value_from_object(obj))
    for field in obj._meta.many_to_many:
        related = [] if obj.pk is None else getattr(obj, field.name).values_list("pk", flat=True)
        values[field.name] = sorted(_plain(pk) for pk in related)
    return values


def _hide(values: dict | None) -> dict | None:
    if values is None:
        return None
    return {key: (HIDDEN if key in SECRET_FIELDS and value else value) for key, value in values.items()}


class AuditedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose adds, changes and deletes are audited (see the module)."""

    audit_admin_edits = True

    # --- the values before --------------------------------------------------------------------------------------

    def _remember(self, request, obj) -> None:
        store = request.__dict__.setdefault(_BEFORE, {})
        store.setdefault((obj._meta.label_lower, str(obj.pk)), record_values(obj))

    def _before(self, request, obj) -> dict | None:
        return request.__dict__.get(_BEFORE, {}).pop((obj._meta.label_lower, str(obj.pk)), None)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and self.audit_admin_edits:
            self._remember(request, obj)
        return obj

    def save_model(self, request, obj, form, change):
        if change and self.audit_admin_edits and obj.pk is not None:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()  # the list's inline editing: no get_object
            if stored is not None:
                self._remember(request, stored)
        super().save_model(request, obj, form, change)

    # --- the events ---------------------------------------------------------------------------------------------

    def _audit(self, request, obj, *, verb: str, old: dict | None, new: dict | None) -> None:
        audit_record(actor=request.user, event=AuditEventType.ADMIN_RECORD_CHANGED, obj=obj,
                     object_type=obj._meta.label_lower, old=_hide(old), new=_hide(new),
                     note=f"{verb} lewat admin: {obj}"[:NOTE_LIMIT])

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        if self.audit_admin_edits:
            self._audit(request, obj, verb="ditambah", old=None, new=record_values(obj))
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if self.audit_admin_edits:
            before = self._before(request, obj)
            after = record_values(obj)
            if before is None:  # not loaded through the admin's hooks: all we know is what it is now
                self._audit(request, obj, verb="diubah", old=None, new=after)
            else:
                old, new = diff(before, after)
                if new:
                    self._audit(request, obj, verb="diubah", old=old, new=new)
        return entry

    def log_deletions(self, request, queryset):
        if self.audit_admin_edits:
            for obj in queryset:  # called before the delete: the rows are still there
                self._audit(request, obj, verb="dihapus", old=record_values(obj), new=None)
        return super().log_deletions(request, queryset)


def audit_every_admin(site: admin.AdminSite) -> list[str]:
    """Give `AuditedAdmin` to every ModelAdmin registered without it (Django's and libraries'); the labels of the
    models it re-registered."""
    wrapped = []
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, AuditedAdmin):
            continue
        base = type(model_admin)
        audited = type(base.__name__, (AuditedAdmin, base), {"__module__": base.__module__,
                                                              "__doc__": base.__doc__})
        site.unregister(model)
        site.register(model, audited)
        wrapped.append(model._meta.label_lower)
    return wrapped


class RuleForm(forms.ModelForm):
    """The admin form of an effective-dated rule: it starts on the first day of a month, in a sensible year."""

    def clean_valid_from(self):
        day = self.cleaned_data.get("valid_from")
        if day and day.day != 1:
            raise forms.ValidationError(_("Aturan berlaku mulai awal bulan: pilih tanggal 1 (mis. %(d)s).")
                                        % {"d": day.replace(day=1).strftime("%d-%m-%Y")})
        if day and not 1900 <= day.year <= 2199:
            raise forms.ValidationError(_("Tahun harus antara 1900 dan 2199."))
        return day


class RuleAdmin(AuditedAdmin):
    """The admin of an effective-dated rule (the arrears policy, the coverage counting rule): rows are history
    (figures on past days rest on them), so a national admin views, adds and changes them, nobody deletes one (a
    new row replaces it from a month), and each save writes one event of the rule's own type (`rule_event`) with
    the values of `rule_fields` that changed (all of them for a new row)."""

    audit_admin_edits = False  # save_model writes the rule's own event instead
    rule_fields: tuple[str, ...] = ()
    rule_event: str = ""
    note_created = note_changed = ""

    def rule_region(self, obj) -> str:
        """The region the event is filed under ('' = national)."""
        return ""

    def rule_saved(self, obj) -> None:
        """After a save (inside its transaction): e.g. a cache to clear on commit."""

    def _national(self, request) -> bool:
        from .access import sees_everything

        return sees_everything(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._national(request)

    def has_module_permission(self, request) -> bool:
        return self._national(request)

    def has_add_permission(self, request) -> bool:
        return self._national(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._national(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def _values(self, obj) -> dict:
        return {name: getattr(obj, name) for name in self.rule_fields}

    def save_model(self, request, obj, form, change):
        from django.db import transaction

        with transaction.atomic():
            old = self._values(type(obj)._default_manager.get(pk=obj.pk)) if change and obj.pk else None
            if not change:
                obj.created_by = request.user
            super().save_model(request, obj, form, change)
            new = self._values(obj)
            if old is not None:
                changed = [k for k in self.rule_fields if old[k] != new[k]]
                if not changed:
                    return
                old, new = {k: old[k] for k in changed}, {k: new[k] for k in changed}
            audit_record(actor=request.user, event=self.rule_event, obj=obj, region_code=self.rule_region(obj),
                         old=old, new=new, note=str(self.note_changed if change else self.note_created))
            self.rule_saved(obj)
