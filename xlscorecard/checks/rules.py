"""Every check the engine runs, named one by one, in the order of their codes.

A new check is a ``rule_<code>_*.py`` module (the rule and its tests) and a line here;
tests/test_rules_on_sample.py holds the two to each other.
"""

from __future__ import annotations

from . import Rule
from .rule_a601_correction import earlier_months_corrected
from .rule_a602_returned_month_changed import returned_months_unchanged
from .rule_c401_missing_figure import report_month_complete
from .rule_c402_commentary_missing import big_changes_have_commentary
from .rule_c403_special_cause_concern import special_cause_concerns_have_commentary
from .rule_e101_text_in_figure import figures_are_numbers
from .rule_e102_count_whole import counts_are_whole_numbers
from .rule_e103_percent_range import percentages_in_range
from .rule_e104_rate_negative import rates_not_negative
from .rule_e105_figure_too_big import figures_not_too_big
from .rule_i501_formula_overwritten import formulas_intact
from .rule_i502_row_moved import rows_in_place
from .rule_i503_columns_in_place import columns_in_place
from .rule_p301_out_of_range import within_usual_range
from .rule_p302_big_change import no_big_jumps
from .rule_r201_part_over_whole import parts_within_wholes
from .rule_r202_sum_to_100 import shares_add_up
from .rule_r203_stock_flow import stock_follows_flows

RULES: tuple[Rule, ...] = (
    earlier_months_corrected,
    returned_months_unchanged,
    report_month_complete,
    big_changes_have_commentary,
    special_cause_concerns_have_commentary,
    figures_are_numbers,
    counts_are_whole_numbers,
    percentages_in_range,
    rates_not_negative,
    figures_not_too_big,
    formulas_intact,
    rows_in_place,
    columns_in_place,
    within_usual_range,
    no_big_jumps,
    parts_within_wholes,
    shares_add_up,
    stock_follows_flows,
)
"""The checks, by code: the engine runs them in this order (its findings are then sorted)."""
