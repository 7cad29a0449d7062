"""What the Département must publish each year (integrations.md, « What the Département must
publish »): PNAD and SPASER indicators, the OETH deduction, the AVE return, the accessibility
statement. Sits after reporting in the import arrow: nothing imports compliance."""
