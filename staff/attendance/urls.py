from django.urls import path

from . import views

urlpatterns = [
    path("my/", views.my_attendance, name="attendance_my"),
    path("clock/", views.clock, name="attendance_clock"),
    path("team/", views.team_month, name="attendance_team"),
    path("roster/", views.roster, name="attendance_roster"),
    path("roster/cell/", views.roster_cell, name="attendance_roster_cell"),
    path("roster/copy-week/", views.roster_copy_week, name="attendance_roster_copy_week"),
    path("roster/upload/", views.roster_upload, name="attendance_roster_upload"),
    path("punches/upload/", views.punch_upload, name="attendance_punch_upload"),
    path("punches/manual/", views.manual_punch, name="attendance_manual_punch"),
    path("leave/", views.my_leave, name="attendance_leave"),
    path("leave/new/", views.leave_new, name="attendance_leave_new"),
    path("leave/<int:pk>/", views.leave_detail, name="attendance_leave_detail"),
    path("leave/<int:pk>/certificate/", views.leave_certificate, name="attendance_leave_certificate"),
    path("leave/<int:pk>/decide/", views.leave_decide, name="attendance_leave_decide"),
    path("leave/<int:pk>/cancel/", views.leave_cancel, name="attendance_leave_cancel"),
    path("corrections/new/", views.correction_new, name="attendance_correction_new"),
    path("corrections/<int:pk>/decide/", views.correction_decide, name="attendance_correction_decide"),
    path("approvals/", views.approvals, name="attendance_approvals"),
    path("shifts/", views.shifts, name="attendance_shifts"),
    path("shifts/new/", views.shift_edit, name="attendance_shift_new"),
    path("shifts/<int:pk>/", views.shift_edit, name="attendance_shift_edit"),
    path("duty/", views.duty_log, name="attendance_duty"),
    path("duty/new/", views.duty_new, name="attendance_duty_new"),
    path("duty/day-sign/", views.duty_day_sign, name="attendance_duty_day_sign"),
    path("duty/<int:pk>/", views.duty_detail, name="attendance_duty_detail"),
    path("duty/<int:pk>/edit/", views.duty_edit, name="attendance_duty_edit"),
    path("duty/<int:pk>/sign/", views.duty_sign, name="attendance_duty_sign"),
    path("duty/<int:addendum_to>/addendum/", views.duty_new, name="attendance_duty_addendum"),
]
