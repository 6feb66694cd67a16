"""A busy shift against gunicorn: agents log calls and read lists, supervisors approve plans.

Run by ``bench/load.sh`` (which starts gunicorn on the bench database and prints the figures); by hand:

    locust -f bench/load/locustfile.py --headless -u 55 -r 10 -t 60s --host http://127.0.0.1:8100

Logins are the generated employees of ``python -m bench.generate_load_data`` (password ``demo``): the agents
``lt00001``… and the team supervisors ``lt00000``, ``lt00020``… Any response other than the page
expected (a 4xx/5xx, a form returned with errors, a missing token) counts as an error."""

import itertools
import os
import random
import re

import gevent
from locust import HttpUser, between, task

TOKEN = re.compile(r'name="form_token" value="([0-9a-f-]{36})"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CALL_LINK = re.compile(r'href="/calls/(\d+)/"')
COMPLAINT_LINK = re.compile(r'href="/complaints/(\d+)/"')
APPROVE = re.compile(r'name="action" value="(approve|approve_first|approve_final)"')
PHONES = ["13800138000"] + [f"139{n:08d}" for n in range(0, 2000, 7)]
SUMMARIES = ["咨询订单配送进度", "报修空调不制冷", "询问营业时间", "建议延长客服时间", "咨询发票开具"]

_agents = itertools.count(1)
_supervisors = itertools.count(0)
_logged_in = itertools.count(1)


def _shift_starts(user):
    """Once every user has logged in (a password hash is slow on purpose, and a shift logs in once) and the
    requests queued behind the logins are through (5 s), the figures start from zero; the shift lasts
    LOAD_SECONDS."""
    runner = user.environment.runner
    if next(_logged_in) == runner.target_user_count:
        def start():
            runner.stats.reset_all()
            gevent.spawn_later(int(os.environ.get("LOAD_SECONDS", "60")), runner.quit)

        gevent.spawn_later(5, start)


def _login(user, username):
    page = user.client.get("/accounts/login/", name="login page")
    csrf = CSRF.search(page.text)
    with user.client.post("/accounts/login/", {"username": username, "password": "demo",
                                               "csrfmiddlewaretoken": csrf.group(1) if csrf else ""},
                          name="login", catch_response=True, allow_redirects=False) as response:
        if response.status_code != 302:
            response.failure(f"login as {username} refused ({response.status_code})")
    _shift_starts(user)


# An agent of a busy shift takes a call about every minute and reads lists in between: 5–15 s between
# two actions (the default of LOAD_THINK) is several times the real pace (2,000 calls a day over ~25 agents
# on duty); LOAD_THINK="1 3" is a stress test.
THINK = [float(x) for x in os.environ.get("LOAD_THINK", "5 15").split()]


class Agent(HttpUser):
    weight = 10
    wait_time = between(*THINK)

    def on_start(self):
        n = next(_agents)
        if n % 20 == 0:  # every 20th generated employee is a supervisor
            n = next(_agents)
        _login(self, f"lt{n:05d}")

    @task(3)
    def log_a_call(self):
        phone = random.choice(PHONES)
        self.client.get(f"/calls/new/history/?caller_phone={phone}", name="history panel")
        form = self.client.get("/calls/new/", name="intake page")
        token, csrf = TOKEN.search(form.text), CSRF.search(form.text)
        if not token or not csrf:
            return
        with self.client.post("/calls/new/", {
            "csrfmiddlewaretoken": csrf.group(1), "form_token": token.group(1), "caller_phone": phone,
            "caller_name": "王先生", "channel": "phone", "direction": "in", "category": "enquiry",
            "summary": random.choice(SUMMARIES), "details": "", "importance": "normal", "urgency": "normal",
            "outcome": "resolved", "address_form": "mr", "organisation": "",
        }, name="intake save", catch_response=True, allow_redirects=False) as response:
            if response.status_code != 302:
                response.failure(f"the call was not saved ({response.status_code})")

    @task(3)
    def read_the_list(self):
        listing = self.client.get(random.choice(["/calls/", "/calls/?state=open", "/calls/?category=repair",
                                                 "/calls/?page=3", f"/calls/?q={random.choice(PHONES)}"]),
                                  name="call list")
        ids = CALL_LINK.findall(listing.text)
        if ids:
            self.client.get(f"/calls/{random.choice(ids)}/", name="call page")

    @task(1)
    def my_complaints(self):
        self.client.get("/complaints/mine/", name="complaint queue")


class Supervisor(HttpUser):
    weight = 1
    wait_time = between(*THINK)

    def on_start(self):
        _login(self, f"lt{20 * next(_supervisors):05d}")

    @task(3)
    def approve_a_plan(self):
        queue = self.client.get("/complaints/approvals/", name="approvals queue")
        ids = COMPLAINT_LINK.findall(queue.text)
        if not ids:
            return
        pk = random.choice(ids[:10])
        page = self.client.get(f"/complaints/{pk}/", name="complaint page")
        action, csrf = APPROVE.search(page.text), CSRF.search(page.text)
        if not action or not csrf:
            return  # another supervisor approved it first
        with self.client.post(f"/complaints/{pk}/act/", {"csrfmiddlewaretoken": csrf.group(1),
                                                         "action": action.group(1), "decision-comment": "同意"},
                              name="approve", catch_response=True, allow_redirects=False) as response:
            if response.status_code not in (200, 302):
                response.failure(f"approval failed ({response.status_code})")

    @task(1)
    def watch_the_team(self):
        self.client.get("/complaints/overdue/", name="overdue queue")
        self.client.get("/", name="home")
