"""Cases: the register of requests built from the decision log (each case's status and statutory
clock), internal reviews and ICO appeals linked to the original decision, officers' roles, and the
statistics for the monthly report (docs/cases.md). Pure functions over audit records: nothing here
reads files or prints."""
