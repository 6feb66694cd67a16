"""Customer profiles: edit with a trail, a timeline of every contact, merge keeping all history."""

import pytest
from django.urls import reverse

from tests.factories import CallFactory, CustomerFactory, CustomerPhoneFactory
from tickets import services
from tickets.models import Call, Customer, CustomerPhone


@pytest.fixture
def two_profiles(db):
    a = CustomerFactory(name="陈建华", tags=["VIP"], notes="老客户")
    b = CustomerFactory(name="", organisation="宏达贸易", tags=["企业客户", "VIP"], notes="另一个号码")
    CustomerPhoneFactory(customer=a, number="13800138000")
    CustomerPhoneFactory(customer=b, number="02168889999")
    ca = CallFactory(customer=a, caller_phone="13800138000")
    cb1 = CallFactory(customer=b, caller_phone="02168889999")
    cb2 = CallFactory(customer=b, caller_phone="02168889999")
    return a, b, [ca, cb1, cb2]


def test_merge_moves_numbers_and_calls_and_keeps_the_other_profile(client_for, two_profiles):
    a, b, calls = two_profiles
    c = client_for("supervisor")
    response = c.post(reverse("tickets:customer_merge", args=[a.pk]), {"other": b.pk})
    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert b.merged_into == a and Customer.objects.count() == 2  # nothing deleted
    assert sorted(a.phones.values_list("number", flat=True)) == ["02168889999", "13800138000"]
    assert set(Call.objects.values_list("customer_id", flat=True)) == {a.pk}
    assert a.organisation == "宏达贸易" and a.tags == ["VIP", "企业客户"]
    assert a.notes == "老客户\n另一个号码"
    # the trail: every moved row has a history entry by the supervisor with the reason
    for call in calls[1:]:
        latest = call.history.first()
        assert latest.history_user == c.employee.user and latest.customer_id == a.pk
        assert str(b.pk) in latest.history_change_reason and str(a.pk) in latest.history_change_reason
    assert CustomerPhone.history.filter(number="02168889999", customer_id=a.pk).count() == 1
    assert b.history.first().merged_into_id == a.pk


def test_merge_moves_the_complaints_of_the_other_profile_too(client_for, two_profiles):
    """The complaints app registers its hook in ready(): tickets never imports complaints."""
    from complaints.models import Complaint
    from complaints.services import complaints_customer_merge
    from csmgmt.core.registry import customer_merge_hooks
    from tests.factories import ComplaintFactory

    assert complaints_customer_merge in customer_merge_hooks()
    a, b, _ = two_profiles
    kept, moved = ComplaintFactory(customer=a), ComplaintFactory(customer=b)
    other = ComplaintFactory(customer=None)
    c = client_for("supervisor")
    assert c.post(reverse("tickets:customer_merge", args=[a.pk]), {"other": b.pk}).status_code == 302
    assert dict(Complaint.objects.values_list("pk", "customer_id")) == {kept.pk: a.pk, moved.pk: a.pk,
                                                                        other.pk: None}
    latest = moved.history.first()
    assert (latest.customer_id, latest.history_user) == (a.pk, c.employee.user)
    assert str(b.pk) in latest.history_change_reason and str(a.pk) in latest.history_change_reason
    assert kept.history.count() == 1  # untouched


def test_a_merge_hook_that_fails_undoes_the_whole_merge(supervisor, two_profiles):
    from csmgmt.core.registry import register_customer_merge, unregister_customer_merge
    from tests.factories import ComplaintFactory

    a, b, calls = two_profiles
    complaint = ComplaintFactory(customer=b)

    def refuse(**kwargs):  # an app's hook that refuses, registered like any app's (after complaints' own)
        raise services.CallError("refused")

    register_customer_merge(refuse)
    try:
        with pytest.raises(services.CallError):
            services.customer_merge(source=b, target=a, by=supervisor)
    finally:
        unregister_customer_merge(refuse)
    b.refresh_from_db()
    complaint.refresh_from_db()
    assert b.merged_into is None and complaint.customer_id == b.pk
    assert list(b.phones.values_list("number", flat=True)) == ["02168889999"]
    assert Call.objects.filter(customer=b).count() == 2


def test_a_merged_profile_cannot_be_merged_again(supervisor, two_profiles):
    a, b, _ = two_profiles
    services.customer_merge(source=b, target=a, by=supervisor)
    c = CustomerFactory()
    with pytest.raises(services.CallError):
        services.customer_merge(source=b, target=c, by=supervisor)
    b.refresh_from_db()
    assert b.merged_into == a


def test_a_profile_is_not_merged_into_itself(supervisor, two_profiles):
    a, _b, _ = two_profiles
    with pytest.raises(services.CallError):
        services.customer_merge(source=a, target=a, by=supervisor)


def test_after_a_merge_the_other_number_finds_the_surviving_profile(client_for, two_profiles):
    a, b, _ = two_profiles
    c = client_for("supervisor")
    c.post(reverse("tickets:customer_merge", args=[a.pk]), {"other": b.pk})
    response = c.get(reverse("tickets:history_panel"), {"caller_phone": "021-6888 9999"})
    assert response.context["history"].customer == a


def test_editing_a_customer_leaves_a_trail_and_adds_a_number(client_for, two_profiles):
    a, _b, _ = two_profiles
    c = client_for("agent")
    response = c.post(reverse("tickets:customer_edit", args=[a.pk]),
                      {"name": "陈建华", "address_form": "mr", "organisation": "", "notes": "改过的备注",
                       "tags_text": "VIP，媒体", "add_phone": "+86 139 0000 1111"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.tags == ["VIP", "媒体"] and a.notes == "改过的备注"
    assert sorted(a.phones.values_list("number", flat=True)) == ["13800138000", "13900001111"]
    assert a.history.first().history_user == c.employee.user
    assert a.history.first().prev_record.notes == "老客户"


def test_adding_a_number_of_another_profile_is_refused_with_a_message(client_for, two_profiles):
    a, b, _ = two_profiles
    c = client_for("agent", language="en")
    response = c.post(reverse("tickets:customer_edit", args=[a.pk]),
                      {"name": "陈建华", "notes": "x", "tags_text": "", "add_phone": "021-68889999"}, follow=True)
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "02168889999 belongs to another profile (客户1): merge the two profiles instead."
        .replace("客户1", str(b))]
    a.refresh_from_db()
    assert a.notes == "老客户"  # nothing half-saved
    assert CustomerPhone.objects.get(number="02168889999").customer == b


def test_the_profile_page_shows_every_contact_newest_first(client_for, two_profiles):
    a, _b, calls = two_profiles
    c = client_for("agent")
    response = c.get(reverse("tickets:customer_detail", args=[a.pk]))
    assert [i.number for i in response.context["timeline"]] == [calls[0].number]
    assert "138 0013 8000" in response.content.decode()


def test_customer_search_by_phone_name_and_organisation(client_for, two_profiles):
    a, b, _ = two_profiles
    c = client_for("agent")
    url = reverse("tickets:customers")
    assert [x.pk for x in c.get(url, {"q": "138 0013"}).context["page"]["rows"]] == [a.pk]
    assert [x.pk for x in c.get(url, {"q": "宏达"}).context["page"]["rows"]] == [b.pk]
    assert [x.pk for x in c.get(url, {"q": "陈建"}).context["page"]["rows"]] == [a.pk]


@pytest.mark.parametrize("n", [1, 20])
def test_customer_list_runs_a_fixed_number_of_queries(client_for, django_assert_num_queries, n):
    for _ in range(n):
        CustomerPhoneFactory()
    c = client_for("agent")
    c.get(reverse("tickets:customers"))
    with django_assert_num_queries(10):  # session, user, employee, roles, unread; customers; their phones
        response = c.get(reverse("tickets:customers"))
    assert len(response.context["page"]["rows"]) == n


def test_merging_with_an_unknown_profile_gives_a_message(client_for, two_profiles):
    a, _b, _ = two_profiles
    c = client_for("supervisor")
    before = list(Customer.objects.order_by("pk").values())
    response = c.post(reverse("tickets:customer_merge", args=[a.pk]), {"other": 999999}, follow=True)
    assert response.status_code == 200
    assert len(list(response.context["messages"])) == 1
    assert list(Customer.objects.order_by("pk").values()) == before


def test_a_merged_profile_is_not_edited_any_more(agent, supervisor, two_profiles):
    a, b, _ = two_profiles
    services.customer_merge(source=b, target=a, by=supervisor)
    with pytest.raises(services.CallError):
        services.customer_update(customer=b, by=agent, data={"name": "改名"})
    b.refresh_from_db()
    assert b.name == ""
