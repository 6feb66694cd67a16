from django.urls import path

from . import revisit_views, views

app_name = "tickets"
urlpatterns = [
    path("new/", views.intake, name="intake"),
    path("new/history/", views.history_panel, name="history_panel"),
    path("", views.call_list, name="list"),
    path("export.xlsx", views.call_export, name="export"),
    path("department/", views.department_queue, name="department_queue"),
    path("<int:pk>/", views.call_detail, name="detail"),
    path("<int:pk>/edit/", views.call_edit, name="edit"),
    path("<int:pk>/note/", views.call_note, name="note"),
    path("<int:pk>/close/", views.call_close, name="close"),
    path("<int:pk>/hand-over/", views.call_hand_over, name="hand_over"),
    path("<int:pk>/void/", views.call_void, name="void"),
    path("<int:pk>/reply/", views.call_reply, name="reply"),
    path("<int:pk>/valid/", views.call_valid_check, name="valid_check"),
    path("<int:pk>/valid/violation/", views.call_marking_violation, name="marking_violation"),
    path("<int:pk>/repair/on-site/", views.call_repair_on_site, name="repair_on_site"),
    path("<int:pk>/repair/finished/", views.call_repair_finished, name="repair_finished"),
    path("<int:pk>/repair/revisit/", views.call_repair_revisit, name="repair_revisit"),
    path("<int:pk>/revisit/", revisit_views.revisit_need, name="revisit_need"),
    path("revisits/", revisit_views.revisit_queue, name="revisits"),
    path("revisits/team/", revisit_views.revisit_team, name="revisits_team"),
    path("revisits/unsatisfied/", revisit_views.revisit_unsatisfied, name="revisits_unsatisfied"),
    path("revisits/<int:pk>/record/", revisit_views.revisit_record, name="revisit_record"),
    path("revisits/<int:pk>/settle/", revisit_views.revisit_settle, name="revisit_settle"),
    path("customers/", views.customer_list, name="customers"),
    path("customers/<int:pk>/", views.customer_detail, name="customer_detail"),
    path("customers/<int:pk>/edit/", views.customer_edit, name="customer_edit"),
    path("customers/<int:pk>/merge/", views.customer_merge, name="customer_merge"),
    path("scripts/", views.scripts_manage, name="scripts"),
    path("scripts/<int:pk>/", views.script_edit, name="script_edit"),
    path("import/", views.import_page, name="import"),
]
