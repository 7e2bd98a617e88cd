"""Documents produced from the plans: the annual report (jaarverslag)."""
