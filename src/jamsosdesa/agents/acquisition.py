"""When an agent *acquires* a participant, and when that participant is *new* (design §4): the one definition, as SQL
fragments, that the incentive run (agents.incentives) and the branch's ranking (agents.rankings) both read.

- An acquisition point is a package (`billing_membership`) with an agent that covers a month (not cancelled) and
  does not continue an earlier package of the same participant with the same agent (one that covered a month and
  ran up to the month before this one's first, or is still open): a change of programmes or income, or a package
  ended and started again the next month, is the same acquisition.
- It is *new* when the participant was never in the BPU ledger before the month: no earlier BPU package that
  covered a month, no enrolment in a BPU scheme from an earlier month, no BPU due of an earlier month. The rest were
  acquired again.

The fragments take SQL expressions (aliases and columns) and carry no parameters, so they fit either placeholder
style (`%s` or `%(name)s`)."""

from django.db import connection

COVERS = "({a}.last_month IS NULL OR {a}.last_month >= {a}.first_month)"


def month_no(expr: str) -> str:
    """A month as one integer (year × 12 + month), so month indexes are a subtraction on both databases."""
    if connection.vendor == "postgresql":
        return f"(CAST(EXTRACT(YEAR FROM {expr}) AS integer) * 12 + CAST(EXTRACT(MONTH FROM {expr}) AS integer))"
    return f"(CAST(strftime('%%Y', {expr}) AS integer) * 12 + CAST(strftime('%%m', {expr}) AS integer))"


def acquisition_point_sql(m: str) -> str:
    """The condition that the package row `m` is an acquisition by its agent."""
    return f"""{m}.agent_id IS NOT NULL AND {COVERS.format(a=m)}
          AND NOT EXISTS (SELECT 1 FROM billing_membership {m}_before
                          WHERE {m}_before.participant_id = {m}.participant_id AND {m}_before.agent_id = {m}.agent_id
                            AND {m}_before.first_month < {m}.first_month AND {COVERS.format(a=f'{m}_before')}
                            AND ({m}_before.last_month IS NULL
                                 OR {month_no(f'{m}_before.last_month')} >= {month_no(f'{m}.first_month')} - 1))"""


def new_bpu_sql(participant: str, month: str) -> str:
    """The condition that the participant `participant` (an SQL expression) was never in the BPU ledger before the
    month `month` (an SQL expression: a first-of-month date)."""
    return f"""NOT EXISTS (SELECT 1 FROM billing_membership nb_m
                          WHERE nb_m.participant_id = {participant} AND nb_m.segment = 'BPU'
                            AND nb_m.first_month < {month} AND {COVERS.format(a='nb_m')})
          AND NOT EXISTS (SELECT 1 FROM funding_enrolment nb_e JOIN funding_scheme nb_s ON nb_s.id = nb_e.scheme_id
                          WHERE nb_e.participant_id = {participant} AND nb_s.segment = 'BPU'
                            AND nb_e.start_month < {month})
          AND NOT EXISTS (SELECT 1 FROM billing_due nb_d
                          WHERE nb_d.participant_id = {participant} AND nb_d.segment = 'BPU'
                            AND nb_d.month < {month})"""
