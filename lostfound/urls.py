from django.urls import path

from . import views

app_name = "lostfound"
urlpatterns = [
    path("items/", views.items, name="items"),
    path("items/new/", views.item_new, name="item_new"),
    path("items/<int:pk>/", views.item, name="item"),
    path("items/<int:pk>/photos/", views.item_photo_add, name="item_photo_add"),
    path("items/<int:pk>/receipt/", views.item_receipt, name="item_receipt"),
    path("items/<int:pk>/card/", views.item_card, name="item_card"),
    path("items/<int:pk>/claim/new/", views.claim_new, name="claim_new"),
    path("items/<int:pk>/claim/", views.claim, name="claim"),
    path("items/<int:pk>/claim/signature.png", views.claim_signature, name="claim_signature"),
    path("items/<int:pk>/store/", views.item_store, name="item_store"),
    path("items/<int:pk>/dispose/", views.item_dispose, name="item_dispose"),
    path("photos/<int:pk>/<str:size>/", views.photo, name="photo"),
    path("reports/", views.reports, name="reports"),
    path("reports/new/", views.report_new, name="report_new"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/contacted/", views.report_contacted, name="report_contacted"),
    path("reports/<int:pk>/withdraw/", views.report_withdraw, name="report_withdraw"),
    path("custody/", views.custody, name="custody"),
    path("handovers/", views.handovers, name="handovers"),
    path("handovers/prepare/", views.handover_prepare, name="handover_prepare"),
    path("handovers/<int:pk>/", views.handover, name="handover"),
    path("summary/", views.summary, name="summary"),
    path("settings/", views.settings_edit, name="settings"),
]
