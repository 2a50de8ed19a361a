"""Who may see and change dues, payments, packages and invoices: billing's rules on top of the registry's.

A person's dues, payments and package are seen by whoever sees the person (`participants.access`), so a village
operator sees its desa's, an agent the people it registered or whose package it collects, a branch officer and a
district official their kabupaten's. A scheme's invoices are seen by whoever sees the scheme (`funding.access`).
Everything else answers 404 through these functions: views and services never filter by region themselves.
"""

from django.db.models import Q, QuerySet

from jamsosdesa.core.access import code_in_scope, sees_everything, user_region_codes
from jamsosdesa.core.regioncodes import Level, level_of_code
from jamsosdesa.core.roles import Role
from jamsosdesa.funding.access import can_manage_scheme, scope_schemes
from jamsosdesa.participants.access import participant_scope_q, scope_participants

from .models import BpjsList, Due, HolderType, Invoice, Membership, Payment, ReconciliationItem

# Who starts, changes and ends a worker's own package (within what they can change).
PACKAGE_ROLES = (Role.VILLAGE_OPERATOR, Role.PERISAI_AGENT, Role.BRANCH_OFFICER)
# Who records a person's payment on billing's page, API and CLI. Not a PERISAI agent: an agent's cash enters the
# ledger only as its collection (agents.cash.collection_record, /agen/penagihan/), which gives the receipt and counts
# the money as cash the agent owes BPJS until deposited (`ledger check` invariant 24 finds any other).
PAYMENT_ROLES = (Role.VILLAGE_OPERATOR, Role.BRANCH_OFFICER)


def _visible_people(user) -> Q | None:
    """A filter on `participant_id` (None: everything), through the one participant scoping function."""
    q = participant_scope_q(user)
    if q is None:
        return None
    people = scope_participants(user).values("pk")
    agent = Q(pk__in=[])
    if user.is_authenticated and user.role == Role.PERISAI_AGENT:
        # An agent also sees the people whose package it collects.
        agent = Q(participant_id__in=Membership.objects.filter(agent_id=user.pk).values("participant_id"))
    return Q(participant_id__in=people) | agent


def scope_by_person(user, qs: QuerySet) -> QuerySet:
    """Rows that carry a `participant_id` (dues, memberships, a person's payments), as the user may see them."""
    q = _visible_people(user)
    return qs if q is None else qs.filter(q)


def scope_dues(user, qs: QuerySet | None = None) -> QuerySet:
    return scope_by_person(user, Due.objects.all() if qs is None else qs)


def scope_memberships(user, qs: QuerySet | None = None) -> QuerySet:
    return scope_by_person(user, Membership.objects.all() if qs is None else qs)


def scope_invoices(user, qs: QuerySet | None = None) -> QuerySet:
    """A scheme's invoices: seen by whoever sees the scheme."""
    qs = Invoice.objects.all() if qs is None else qs
    if sees_everything(user):
        return qs
    return qs.filter(scheme_id__in=scope_schemes(user).values("pk"))


def scope_payments(user, qs: QuerySet | None = None) -> QuerySet:
    """Payments for people the user sees, for invoices of schemes the user sees, and (for a branch officer) the
    queued ones of its kabupaten."""
    qs = Payment.objects.all() if qs is None else qs
    if sees_everything(user):
        return qs
    people = _visible_people(user)
    q = Q(holder_type=HolderType.SCHEME, holder_id__in=scope_schemes(user).values("pk"))
    if people is not None:
        q |= people
    if user.is_authenticated and user.role == Role.BRANCH_OFFICER:
        q |= Q(holder_type="", kab_code__in=_kab_codes(user))
    return qs.filter(q)


def scope_queue(user, qs: QuerySet | None = None) -> QuerySet:
    """The reconciliation queue: a branch officer's kabupaten (national admins everything)."""
    qs = ReconciliationItem.objects.all() if qs is None else qs
    if sees_everything(user):
        return qs
    if not (user.is_authenticated and user.is_active and user.role == Role.BRANCH_OFFICER):
        return qs.none()
    return qs.filter(kab_code__in=_kab_codes(user))


def _kab_codes(user) -> list[str]:
    return sorted({code[:5] for code in user_region_codes(user) if len(code) >= 5})


def billing_participant(user, *, pk: int | None = None, nik: str | None = None):
    """One participant the user sees through billing (the registry's scope, and for an agent also the people whose
    package it collects), by id or NIK, or None: callers answer 404, as for a participant that does not exist."""
    from jamsosdesa.participants.models import Participant
    from jamsosdesa.participants.nik import is_nik_shaped

    if pk is not None:
        qs = Participant.objects.filter(pk=pk)
    elif nik is not None and is_nik_shaped(nik):
        qs = Participant.objects.filter(nik=nik)
    else:
        return None
    q = participant_scope_q(user)
    if q is not None:
        if user.is_authenticated and user.role == Role.PERISAI_AGENT:
            q |= Q(pk__in=Membership.objects.filter(agent_id=user.pk).values("participant_id"))
        qs = qs.filter(q)
    return qs.first()


def can_manage_package(user, participant) -> bool:
    """Start, change or end the worker's own package: a village operator, an agent or a branch officer who sees the
    person (and national admins)."""
    if sees_everything(user):
        return True
    if not (user.is_authenticated and user.is_active and user.role in PACKAGE_ROLES):
        return False
    return scope_participants(user).filter(pk=participant.pk).exists()


def can_record_payment(user, participant) -> bool:
    """Record a payment for a person on billing's page, API or CLI: a village operator or a branch officer who sees
    the person (and national admins); never an agent (`collects_cash`)."""
    if sees_everything(user):
        return True
    if not (user.is_authenticated and user.is_active and user.role in PAYMENT_ROLES):
        return False
    return scope_participants(user).filter(pk=participant.pk).exists()


def collects_cash(user) -> bool:
    """A PERISAI agent: the money it takes is recorded only as its collection, never on billing's payment doors."""
    return bool(getattr(user, "is_authenticated", False) and user.role == Role.PERISAI_AGENT)


def can_collect_payment(user, participant) -> bool:
    """The payment an agent's collection records (agents.cash.collection_record): an active agent who sees the
    person through billing (the people it registered or whose package it collects)."""
    return bool(collects_cash(user) and user.is_active and billing_participant(user, pk=participant.pk) is not None)


def collection_door() -> str:
    """The agents' collection page (/agen/penagihan/), where an agent records cash; billing names it by its URL
    name and never imports the package above it."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("agents:collections")
    except NoReverseMatch:
        return "/agen/penagihan/"


def collection_door_message() -> str:
    from django.utils.translation import gettext as _

    return _("Agen PERISAI mencatat uang iuran yang diterimanya sebagai penagihan di halaman Penagihan (%(url)s), "
             "bukan sebagai pembayaran di sini: di sana peserta mendapat kuitansi dan uangnya tercatat sebagai setoran "
             "yang harus diserahkan ke BPJS.") % {"url": collection_door()}


def can_pay_invoice(user, invoice) -> bool:
    """Record a payer's payment of a collective invoice: the scheme's managers and the branch office."""
    from jamsosdesa.funding.models import Scheme

    scheme = Scheme.objects.get(pk=invoice.scheme_id)
    if can_manage_scheme(user, scheme):
        return True
    return (user.is_authenticated and user.is_active and user.role == Role.BRANCH_OFFICER
            and (not invoice.kab_code or code_in_scope(user, invoice.kab_code)))


def can_reconcile(user, kab_code: str) -> bool:
    """Decide a queued payment and reverse payments: a branch officer of the kabupaten (national admins anywhere)."""
    if sees_everything(user):
        return True
    return (user.is_authenticated and user.is_active and user.role == Role.BRANCH_OFFICER
            and code_in_scope(user, kab_code))


def can_run_billing(user) -> bool:
    """Start a month's billing run by hand: national admins."""
    return sees_everything(user)


# H2 billing run: who sees the runs' pages (counts and amounts, no personal data): national admins, and the branch
# offices and district officials who work with the invoices they produce.
RUN_VIEWERS = (Role.BRANCH_OFFICER, Role.DISTRICT_OFFICIAL)


def can_see_billing_runs(user) -> bool:
    if sees_everything(user):
        return True
    return bool(user.is_authenticated and user.is_active and user.role in RUN_VIEWERS)


def can_import_statements(user) -> bool:
    """Statements are the branch office's: a branch officer (its kabupaten's queue) or a national admin."""
    return sees_everything(user) or bool(user.is_authenticated and user.is_active
                                         and user.role == Role.BRANCH_OFFICER)


# The BPJS cross-check: who compares a BPJS list for a region (a kabupaten or a desa) and sees the compared lists:
# the branch office and the district (the kabupaten's own officials), each within its area; national admins anywhere.
CROSSCHECK_ROLES = (Role.BRANCH_OFFICER, Role.DISTRICT_OFFICIAL)


def can_crosscheck(user, region_code: str = "") -> bool:
    """Compare a BPJS list for a region: a branch officer or a district official whose area holds the region (a
    kabupaten or a desa), or a national admin. Without a region: whether the user may compare lists at all."""
    if not (user.is_authenticated and user.is_active):
        return False
    if region_code and level_of_code(region_code) not in (Level.KABUPATEN, Level.DESA):
        return False
    if sees_everything(user):
        return True
    if user.role not in CROSSCHECK_ROLES:
        return False
    return not region_code or code_in_scope(user, region_code)


def scope_bpjs_lists(user, qs: QuerySet | None = None) -> QuerySet:
    """The compared lists a user may see: a national admin's all; a branch officer's or district official's those of
    regions in its area."""
    qs = BpjsList.objects.all() if qs is None else qs
    if sees_everything(user):
        return qs
    if not (user.is_authenticated and user.is_active and user.role in CROSSCHECK_ROLES):
        return qs.none()
    q = Q(pk__in=[])
    for code in user_region_codes(user):
        q |= Q(region_code=code) | Q(region_code__startswith=code + ".")
    return qs.filter(q)
