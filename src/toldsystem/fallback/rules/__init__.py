"""The pure rules of the fallback procedures (SPEC F; seed 002 in full, the board's messages of seed 001).

model.py (causes, procedures, permissions, outages), permissions.py (who gives a permission, how it is sent,
what it states, when it ends; may a company use fallback now), decision.py (the officer's decision support:
the 30–60 minute guide, planned downtime), numbering.py (the separate series of NCTS box C and export box A),
import_paper.py, transit.py (NCTS, the 2 % rule, TIR), export_paper.py (with the follow-up and the office of
exit), manifest_paper.py (the seed's data lists), recovery.py (the order of filings once a system is back).
Every rule is one function citing seed 002 by heading; none does IO or reads the clock.
"""
