"""Assessments (encounters) and the findings made at them."""
