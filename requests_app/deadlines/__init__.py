"""The statutory clocks' background work: the deadline sweep (beat, every 5 minutes), the fan-out of its notices
and the officers' daily digest. The rules themselves (windows, thresholds, what is owed) live in
requests_app.rules; this package finds the rows they select, claims each notice once and writes it.

- thresholds: which cases and objections are in which threshold window and still owe that notice;
- claims:     the DeadlineNotice ledger (claiming a notice, stamping overdue cases, re-enqueueing the fan-out);
- recipients: who a notice goes to (officers by OPD, without duplicates);
- dispatch:   the fan-out of case notices (dispatch_deadline_notices_task) and the objections' notices;
- digest:     the daily digest of each officer's open cases;
- sweep:      sweep_run, which orchestrates the above.
"""
