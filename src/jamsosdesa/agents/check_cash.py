"""The agents' cash in `ledger check` (design §3; registered in billing.overlays.ledger_invariants): no rupiah an
agent collected or deposited is lost or doubled. One SQL query each, the same text on SQLite and PostgreSQL."""

from django.utils.translation import gettext_lazy as _

from jamsosdesa.billing.check import Failure, failures_of
from jamsosdesa.billing.live import not_reversed_sql
from jamsosdesa.core.roles import Role

# 21. A settlement never settles more than its collection: each row at most the collection's amount, and the
# collection's settlements together between zero and its amount.
SETTLED_WITHIN = """
SELECT c.id AS collection_id, c.receipt_number, c.amount, COALESCE(SUM(s.amount), 0) AS settled,
       MAX(s.amount) AS largest_row
FROM agents_collection c JOIN agents_depositsettlement s ON s.collection_id = c.id
GROUP BY c.id, c.receipt_number, c.amount
HAVING COALESCE(SUM(s.amount), 0) > c.amount OR COALESCE(SUM(s.amount), 0) < 0 OR MAX(s.amount) > c.amount
ORDER BY c.id
"""

# 22. A deposit settles exactly its amount (nothing once reversed), and a negative row cancels exactly the row it
# names, of the same deposit and collection.
DEPOSIT_SETTLED = """
SELECT d.id AS deposit_id, d.reference, d.amount, COALESCE(st.s, 0) AS settled,
       CASE WHEN r.id IS NULL THEN 0 ELSE 1 END AS reversed
FROM agents_deposit d
LEFT JOIN (SELECT s.deposit_id, SUM(s.amount) AS s FROM agents_depositsettlement s GROUP BY s.deposit_id) st
       ON st.deposit_id = d.id
LEFT JOIN agents_depositreversal r ON r.deposit_id = d.id
WHERE (r.id IS NULL AND COALESCE(st.s, 0) <> d.amount) OR (r.id IS NOT NULL AND COALESCE(st.s, 0) <> 0)
UNION ALL
SELECT s.deposit_id, 'settlement ' || CAST(s.id AS VARCHAR(20)), s.amount, o.amount, 1
FROM agents_depositsettlement s JOIN agents_depositsettlement o ON o.id = s.reverses_id
WHERE s.amount <> -o.amount OR s.deposit_id <> o.deposit_id OR s.collection_id <> o.collection_id
"""

# 23. Every collection is its billing payment: the payment exists, is an agent-channel payment of the same amount by
# the same agent for the same person, and is live unless the collection is marked reversed.
COLLECTION_PAYMENT = f"""
SELECT c.id AS collection_id, c.receipt_number, c.amount, p.amount AS payment_amount, c.agent_id,
       p.agent_id AS payment_agent_id, p.channel, CASE WHEN p.id IS NULL THEN 0 ELSE 1 END AS payment_exists
FROM agents_collection c
LEFT JOIN billing_payment p ON p.id = c.payment_id
WHERE p.id IS NULL OR p.amount <> c.amount OR p.agent_id IS NULL OR p.agent_id <> c.agent_id
   OR p.channel <> 'agent' OR p.participant_id IS NULL OR p.participant_id <> c.participant_id
   OR (c.reversed_at IS NULL AND NOT ({not_reversed_sql("p", "payment")}))
ORDER BY c.id
"""

# 24. An agent's cash enters the ledger only through a collection: every live payment on the agent channel, or
# recorded by a PERISAI agent, is a live collection's payment (billing's page, API, CLI and imports refuse both).
AGENT_MONEY_COLLECTED = f"""
SELECT p.id AS payment_id, p.external_reference AS reference, p.amount, p.paid_on, p.channel,
       p.participant_id, u.username AS recorded_by
FROM billing_payment p
LEFT JOIN accounts_user u ON u.id = p.recorded_by_id
WHERE (p.channel = 'agent' OR u.role = '{Role.PERISAI_AGENT.value}')
  AND {not_reversed_sql("p", "payment")}
  AND NOT EXISTS (SELECT 1 FROM agents_collection c WHERE c.payment_id = p.id AND c.reversed_at IS NULL)
ORDER BY p.id
"""

INVARIANTS = (
    (21, "agent_settlements_within_collections", _("Setoran agen: pelunasan tiap penagihan tidak melebihi jumlahnya"),
     SETTLED_WITHIN),
    (22, "agent_deposits_settled", _("Setoran agen: jumlah pelunasan tiap setoran sama dengan setorannya"),
     DEPOSIT_SETTLED),
    (23, "agent_collections_paid", _("Penagihan agen: pembayaran iurannya ada, hidup, sama jumlah dan agennya"),
     COLLECTION_PAYMENT),
    (24, "agent_money_collected",
     _("Uang agen hanya lewat penagihan: pembayaran hidup lewat saluran agen atau dicatat agen tanpa penagihan"),
     AGENT_MONEY_COLLECTED),
)


def cash_failures() -> list[Failure]:
    return failures_of(INVARIANTS)
