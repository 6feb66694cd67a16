"""The permission matrix: every URL pattern of the project x every role -> allowed or refused, as data.

``tests/security/test_permission_matrix.py`` asserts every cell, for GET and for POST, against the demo
world (``tests/security/world.py``: real ids of a call, complaints in the handler's department, in another
one and at analysis, a found item and a claimed one, a leave request, ...), and fails when a URL pattern of
the project has no row here: a new page must be added to this table.

Each cell string has one character per role, in this order:

    agent  supervisor  manager  handler(QA)  custodian(+agent)  admin  none (an employee holding no role)

    Y  allowed: 2xx, a redirect anywhere but a login page, or 400 (let in, the empty input refused)
    -  refused: 403 or 404, or sent to a login page (nothing in the database changes: asserted for POST)
    .  the view does not take this method (405)

The roles are the demo's (``staff/demo.py``): a manager is also a supervisor and an agent; the demo
custodian is also an agent. POSTs carry no data; each request is rolled back, so one does not change the
next. Object-level rules show in the variants: the QA handler sees complaints of QA only, and calls only once
they are transferred to QA (and may then reply). A "-" for every
role on a POST means the demo object's state refuses it (e.g. a signed duty-log entry cannot be edited).
``logout`` answers a POST by sending to the login page, which reads as "-" here.

The Django admin site (``admin:*``, 270-odd patterns) is one rule, not rows: only the admin role (which
makes the user staff and superuser) gets in; everyone else is sent to the admin login.
"""

ROLES = ("agent", "supervisor", "manager", "handler", "custodian", "admin", "none")

#  url name                                   variant             GET        POST
MATRIX = [
    ('complaints:act',                             '',                 '.....--', 'YYYYY--'),
    ('complaints:all',                             '',                 'YYY-Y--', 'YYY-Y--'),
    ('complaints:approvals',                       '',                 '-YY----', '-YY----'),
    ('complaints:create',                          '',                 'YYY-Y--', 'YYY-Y--'),
    ('complaints:create_from_call',                '',                 'YYY-Y--', 'YYY-Y--'),
    ('complaints:department',                      '',                 '---Y---', '---Y---'),
    ('complaints:detail',                          '',                 'YYYYY--', 'YYYYY--'),
    ('complaints:evidence',                        '',                 'YYYYY--', 'YYYYY--'),
    ('complaints:evidence_upload',                 '',                 '.....--', 'YYYYY--'),
    ('complaints:mine',                            '',                 'YYY-Y--', 'YYY-Y--'),
    ('complaints:overdue',                         '',                 'YYYYY--', 'YYYYY--'),
    ('complaints:print',                           '',                 'YYYYY--', 'YYYYY--'),
    ('complaints:revisits',                        '',                 'YYY-Y--', 'YYY-Y--'),
    ('complaints:settings',                        '',                 '--Y----', '--Y----'),
    ('complaints:statistics',                      '',                 '-YY----', '-YY----'),
    ('complaints:statistics_xlsx',                 '',                 '-YY----', '-YY----'),
    ('healthz',                                    '',                 'YYYYYYY', 'YYYYYYY'),
    ('home',                                       '',                 'YYYYYYY', 'YYYYYYY'),
    ('login',                                      '',                 'YYYYYYY', 'YYYYYYY'),
    ('logout',                                     '',                 '.......', '-------'),
    ('lostfound:claim',                            '',                 'YYY-Y--', 'YYY-Y--'),
    ('lostfound:claim_new',                        '',                 'YYY-Y--', 'YYY-Y--'),
    ('lostfound:claim_signature',                  '',                 'YYY-Y--', 'YYY-Y--'),
    ('lostfound:custody',                          '',                 '----Y--', '----Y--'),
    ('lostfound:handover',                         '',                 '----Y--', '----Y--'),
    ('lostfound:handover_prepare',                 '',                 '----.--', '----Y--'),
    ('lostfound:handovers',                        '',                 '----Y--', '----Y--'),
    ('lostfound:item',                             '',                 'YYY-Y--', 'YYY-Y--'),
    ('lostfound:item_card',                        '',                 'YYY-Y--', 'YYY-Y--'),
    ('lostfound:item_dispose',                     '',                 '----.--', '----Y--'),
    ('lostfound:item_new',                         '',                 'YYY-Y--', 'YYY-Y--'),
    ('lostfound:item_photo_add',                   '',                 '...-.--', 'YYY-Y--'),
    ('lostfound:item_receipt',                     '',                 'YYY-Y--', 'YYY-Y--'),
    ('lostfound:item_store',                       '',                 '----.--', '----Y--'),
    ('lostfound:items',                            '',                 'YYY-Y--', 'YYY-Y--'),
    ('lostfound:photo',                            '',                 'YYY-Y--', 'YYY-Y--'),
    ('lostfound:report',                           '',                 'YYY-Y--', 'YYY-Y--'),
    ('lostfound:report_contacted',                 '',                 '...-.--', '-------'),
    ('lostfound:report_new',                       '',                 'YYY-Y--', 'YYY-Y--'),
    ('lostfound:report_withdraw',                  '',                 '...-.--', 'YYY-Y--'),
    ('lostfound:reports',                          '',                 'YYY-Y--', 'YYY-Y--'),
    ('lostfound:settings',                         '',                 '--Y-Y--', '--Y-Y--'),
    ('lostfound:summary',                          '',                 'YYY-Y--', 'YYY-Y--'),
    ('password_change',                            '',                 'YYYYYYY', 'YYYYYYY'),
    ('password_change_done',                       '',                 'YYYYYYY', '.......'),
    ('reports:dashboard',                          '',                 '-YY----', '-YY----'),
    ('reports:download',                           '',                 '--Y----', '--Y----'),
    ('reports:jobs',                               '',                 '--Y--Y-', '--Y--Y-'),
    ('reports:list',                               '',                 '--Y----', '--Y----'),
    ('reports:regenerate',                         '',                 '--.----', '--Y----'),
    ('reports:row',                                '',                 '--Y----', '--Y----'),
    ('set_language',                               '',                 '.......', 'YYYYYYY'),
    ('staff:attendance_approvals',                 '',                 '-YY----', '-YY----'),
    ('staff:attendance_clock',                     '',                 '......-', 'YYYYYY-'),
    ('staff:attendance_correction_decide',         '',                 '-..----', '-YY----'),
    ('staff:attendance_correction_new',            '',                 'YYYYYY-', 'YYYYYY-'),
    ('staff:attendance_duty',                      '',                 'YYY-Y--', 'YYY-Y--'),
    ('staff:attendance_duty_addendum',             '',                 'YYY-Y--', 'YYY-Y--'),
    ('staff:attendance_duty_day_sign',             '',                 '-..----', '-YY----'),
    ('staff:attendance_duty_detail',               '',                 'YYY-Y--', 'YYY-Y--'),
    ('staff:attendance_duty_edit',                 '',                 '-------', '-------'),
    ('staff:attendance_duty_new',                  '',                 'YYY-Y--', 'YYY-Y--'),
    ('staff:attendance_duty_sign',                 '',                 '...-.--', 'YYY-Y--'),
    ('staff:attendance_leave',                     '',                 'YYYYYY-', 'YYYYYY-'),
    ('staff:attendance_leave_cancel',              '',                 '......-', 'Y------'),
    ('staff:attendance_leave_certificate',         '',                 'YYY----', 'YYY----'),
    ('staff:attendance_leave_decide',              '',                 '-..----', '-YY----'),
    ('staff:attendance_leave_detail',              '',                 'YYY----', 'YYY----'),
    ('staff:attendance_leave_new',                 '',                 'YYYYYY-', 'YYYYYY-'),
    ('staff:attendance_manual_punch',              '',                 '-YY----', '-YY----'),
    ('staff:attendance_my',                        '',                 'YYYYYY-', 'YYYYYY-'),
    ('staff:attendance_punch_upload',              '',                 '-YY----', '-YY----'),
    ('staff:attendance_roster',                    '',                 '-YY----', '-YY----'),
    ('staff:attendance_roster_cell',               '',                 '-..----', '-YY----'),
    ('staff:attendance_roster_copy_week',          '',                 '-..----', '-YY----'),
    ('staff:attendance_roster_upload',             '',                 '-YY----', '-YY----'),
    ('staff:attendance_shift_edit',                '',                 '--Y----', '--Y----'),
    ('staff:attendance_shift_new',                 '',                 '--Y----', '--Y----'),
    ('staff:attendance_shifts',                    '',                 '--Y----', '--Y----'),
    ('staff:attendance_team',                      '',                 '-YY----', '-YY----'),
    ('staff:import_employees',                     '',                 '-----Y-', '-----Y-'),
    ('staff:notification_read',                    '',                 '......-', 'YYYYYY-'),
    ('staff:notifications',                        '',                 'YYYYYY-', 'YYYYYY-'),
    ('staff:notifications_read_all',               '',                 '......-', 'YYYYYY-'),
    ('staff:scoring_appeal_decide',                '',                 '--.----', '--Y----'),
    ('staff:scoring_appeal_new',                   '',                 'Y------', 'Y------'),
    ('staff:scoring_appeals',                      '',                 '--Y----', '--Y----'),
    ('staff:scoring_card',                         '',                 'YYYYYY-', 'YYYYYY-'),
    ('staff:scoring_categories',                   '',                 '--Y----', '--Y----'),
    ('staff:scoring_category_edit',                '',                 '--Y----', '--Y----'),
    ('staff:scoring_employee_card',                '',                 'YYY----', 'YYY----'),
    ('staff:scoring_evidence',                     '',                 'YYY----', 'YYY----'),
    ('staff:scoring_fund',                         '',                 '-YY----', '-YY----'),
    ('staff:scoring_fund_adjust',                  '',                 '--.----', '--Y----'),
    ('staff:scoring_manual_list',                  '',                 '-YY----', '-YY----'),
    ('staff:scoring_manual_new',                   '',                 '-YY----', '-YY----'),
    ('staff:scoring_manual_void',                  '',                 '-..----', '-YY----'),
    ('staff:scoring_month',                        '',                 '-YY----', '-YY----'),
    ('staff:scoring_month_close',                  '',                 '--.----', '--Y----'),
    ('staff:scoring_month_materialise',            '',                 '--.----', '--Y----'),
    ('staff:scoring_month_reopen',                 '',                 '--.----', '--Y----'),
    ('staff:scoring_rule_edit',                    '',                 '--Y----', '--Y----'),
    ('staff:scoring_rule_new',                     '',                 '--Y----', '--Y----'),
    ('staff:scoring_rule_set_activate',            '',                 '--.----', '--Y----'),
    ('staff:scoring_rule_set_copy',                '',                 '--.----', '--Y----'),
    ('staff:scoring_rule_set_edit',                '',                 '--Y----', '--Y----'),
    ('staff:scoring_rule_sets',                    '',                 '--Y----', '--Y----'),
    ('tickets:close',                              '',                 '...-.--', 'YYY-Y--'),
    ('tickets:customer_detail',                    '',                 'YYY-Y--', 'YYY-Y--'),
    ('tickets:customer_edit',                      '',                 'YYY-Y--', 'YYY-Y--'),
    ('tickets:customer_merge',                     '',                 '-..----', '-YY----'),
    ('tickets:customers',                          '',                 'YYY-Y--', 'YYY-Y--'),
    ('tickets:department_queue',                   '',                 '---Y---', '---Y---'),
    ('tickets:detail',                             '',                 'YYY-Y--', 'YYY-Y--'),
    ('tickets:edit',                               '',                 'YYY-Y--', 'YYY-Y--'),
    ('tickets:export',                             '',                 'YYYYY--', 'YYYYY--'),
    ('tickets:hand_over',                          '',                 '...-.--', 'YYY-Y--'),
    ('tickets:history_panel',                      '',                 'YYY-Y--', 'YYY-Y--'),
    ('tickets:holiday_edit',                       '',                 '--Y----', '--Y----'),
    ('tickets:holiday_new',                        '',                 '--Y----', '--Y----'),
    ('tickets:import',                             '',                 '--Y----', '--Y----'),
    ('tickets:intake',                             '',                 'YYY-Y--', 'YYY-Y--'),
    ('tickets:list',                               '',                 'YYYYY--', 'YYYYY--'),
    ('tickets:note',                               '',                 '...-.--', 'YYY-Y--'),
    ('tickets:reply',                              '',                 '---.---', '-------'),
    ('tickets:script_edit',                        '',                 '--Y----', '--Y----'),
    ('tickets:scripts',                            '',                 '--Y----', '--Y----'),
    ('tickets:void',                               '',                 '-..----', '-YY----'),
    ('complaints:act',                             'other department', '.....--', 'YYY-Y--'),
    ('complaints:detail',                          'at analysis',      'YYY-Y--', 'YYY-Y--'),
    ('complaints:detail',                          'other department', 'YYY-Y--', 'YYY-Y--'),
    ('complaints:print',                           'other department', 'YYY-Y--', 'YYY-Y--'),
    ('tickets:detail',                             'transferred to QA', 'YYYYY--', 'YYYYY--'),
    ('tickets:reply',                              'transferred to QA', '---.---', '---Y---'),
]

ADMIN_SITE = "-----Y-"  # every admin:* URL without parameters, GET
