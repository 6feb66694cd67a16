from django.urls import path

from . import views

# Included under /staff/scores/ in the "staff" namespace: names are staff:scoring_<name>.
urlpatterns = [
    path("", views.scoring_card, name="scoring_card"),
    path("employee/<int:pk>/", views.scoring_employee_card, name="scoring_employee_card"),
    path("month/", views.scoring_month, name="scoring_month"),
    path("month/compute/", views.scoring_month_materialise, name="scoring_month_materialise"),
    path("month/close/", views.scoring_month_close, name="scoring_month_close"),
    path("month/reopen/", views.scoring_month_reopen, name="scoring_month_reopen"),
    path("fund/adjust/", views.scoring_fund_adjust, name="scoring_fund_adjust"),
    path("fund/<int:pk>/", views.scoring_fund, name="scoring_fund"),
    path("manual/", views.scoring_manual_list, name="scoring_manual_list"),
    path("manual/new/", views.scoring_manual_new, name="scoring_manual_new"),
    path("manual/<int:pk>/void/", views.scoring_manual_void, name="scoring_manual_void"),
    path("manual/<int:pk>/evidence/", views.scoring_evidence, name="scoring_evidence"),
    path("records/<int:pk>/appeal/", views.scoring_appeal_new, name="scoring_appeal_new"),
    path("appeals/", views.scoring_appeals, name="scoring_appeals"),
    path("appeals/<int:pk>/decide/", views.scoring_appeal_decide, name="scoring_appeal_decide"),
    path("rules/", views.scoring_rule_sets, name="scoring_rule_sets"),
    path("rules/<int:pk>/", views.scoring_rule_set_edit, name="scoring_rule_set_edit"),
    path("rules/<int:pk>/copy/", views.scoring_rule_set_copy, name="scoring_rule_set_copy"),
    path("rules/<int:pk>/activate/", views.scoring_rule_set_activate, name="scoring_rule_set_activate"),
    path("rules/<int:pk>/rule/new/", views.scoring_rule_edit, name="scoring_rule_new"),
    path("rules/<int:pk>/rule/<int:rule_pk>/", views.scoring_rule_edit, name="scoring_rule_edit"),
    path("categories/", views.scoring_categories, name="scoring_categories"),
    path("categories/<int:pk>/", views.scoring_categories, name="scoring_category_edit"),
]
