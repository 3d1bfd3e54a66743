#!/usr/bin/env python3
"""
Runs everyday EWS operations against an endpoint with exchangelib, a third-party EWS client built against real
Exchange (Debian's python3-exchangelib), and prints one JSON line per operation:
  {"op": "...", "ok": true, "value": ...}  or  {"op": "...", "ok": false, "error": "<exchangelib exception class>", "message": "..."}
The run stops at the first failing operation (later ones depend on it). Driven by tools/exchange-sim/conformance.test.ts.

Usage: exchangelib_client.py --endpoint URL --ca FILE --user U --mailbox M [--ops a,b,c]
Password from the EWS_PASSWORD environment variable. Configured with a fixed endpoint, version and auth type,
so it makes no Autodiscover or version-guessing calls.
"""
import argparse
import datetime
import json
import os
import sys
import uuid

import requests.adapters
from exchangelib import (
    BASIC,
    IMPERSONATION,
    UTC,
    Account,
    CalendarItem,
    Configuration,
    Contact,
    Credentials,
    EWSDateTime,
    FailFast,
    Message,
    Version,
)
from exchangelib.indexed_properties import EmailAddress
from exchangelib.items import SEND_TO_NONE
from exchangelib.protocol import BaseProtocol
from exchangelib.version import EXCHANGE_2016

ALL_OPS = [
    "root", "msgfolderroot", "inbox", "folders", "resolve", "list-contacts", "page-contacts", "calendar-view",
    "create-delete-contact", "create-delete-event", "send-and-find", "get-deleted",
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--mailbox", required=True)
    parser.add_argument("--ops", default=",".join(ALL_OPS))
    args = parser.parse_args()

    ca = args.ca

    class SimCaAdapter(requests.adapters.HTTPAdapter):
        """Trusts the simulator's CA (and only it) for this client's connections."""

        def cert_verify(self, conn, url, verify, cert):
            super().cert_verify(conn=conn, url=url, verify=ca, cert=cert)

    BaseProtocol.HTTP_ADAPTER_CLS = SimCaAdapter
    config = Configuration(
        service_endpoint=args.endpoint,
        credentials=Credentials(args.user, os.environ.get("EWS_PASSWORD", "")),
        auth_type=BASIC,
        version=Version(build=EXCHANGE_2016),
        retry_policy=FailFast(),
    )
    account = Account(args.mailbox, config=config, autodiscover=False, access_type=IMPERSONATION, default_timezone=UTC)
    state = {}
    today = datetime.datetime.now(datetime.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    start = EWSDateTime.from_datetime(today)
    end = EWSDateTime.from_datetime(today + datetime.timedelta(days=1))

    def root():
        return account.root.name

    def msgfolderroot():
        return account.msg_folder_root.name

    def inbox():
        return {"name": account.inbox.name, "total": account.inbox.total_count}

    def folders():
        return [account.contacts.name, account.calendar.name, account.sent.name, account.drafts.name, account.trash.name]

    def resolve():
        return [m.email_address for m in account.protocol.resolve_names([args.mailbox])]

    def list_contacts():
        return [c.display_name for c in account.contacts.all().only("display_name")[:1]]

    def page_contacts():
        qs = account.contacts.all().only("display_name")
        qs.page_size = 1  # one item per FindItem: exercises IndexedPageItemView paging
        return sorted(c.display_name for c in qs)

    def calendar_view():
        return [i.subject for i in account.calendar.view(start=start, end=end)]

    def create_delete_contact():
        c = Contact(folder=account.contacts, given_name="MoxiEngage", surname="Test", display_name="MoxiEngage Test",
                    email_addresses=[EmailAddress(email="moxi-test@example.com")])
        c.save()
        fetched = account.contacts.get(id=c.id)
        state["deleted"] = (c.id, c.changekey)  # delete() forgets them
        c.delete()
        return fetched.display_name

    def create_delete_event():
        e = CalendarItem(folder=account.calendar, subject="MoxiEngage test event",
                         start=start + datetime.timedelta(hours=20), end=start + datetime.timedelta(hours=20, minutes=15))
        e.save(send_meeting_invitations=SEND_TO_NONE)
        seen = [i.subject for i in account.calendar.view(start=start, end=end)]
        e.delete(send_meeting_cancellations=SEND_TO_NONE)
        return "MoxiEngage test event" in seen

    def send_and_find():
        subject = f"MoxiEngage test message {uuid.uuid4().hex[:8]}"
        Message(account=account, folder=account.sent, subject=subject, body="A MoxiEngage connection test.",
                to_recipients=[args.mailbox]).send_and_save()
        return [m.subject for m in account.sent.filter(subject=subject)]

    def get_deleted():
        item_id, changekey = state["deleted"]
        return list(account.fetch(ids=[(item_id, changekey)]))

    ops = {
        "root": root, "msgfolderroot": msgfolderroot, "inbox": inbox, "folders": folders, "resolve": resolve,
        "list-contacts": list_contacts, "page-contacts": page_contacts, "calendar-view": calendar_view,
        "create-delete-contact": create_delete_contact, "create-delete-event": create_delete_event,
        "send-and-find": send_and_find, "get-deleted": get_deleted,
    }
    for name in args.ops.split(","):
        try:
            value = ops[name]()
            # fetch() yields exceptions in place of items it could not get, as exchangelib does for bulk calls
            if isinstance(value, list) and value and isinstance(value[0], Exception):
                raise value[0]
            print(json.dumps({"op": name, "ok": True, "value": value}), flush=True)
        except Exception as e:  # report the class the client raised, as a caller would see it
            print(json.dumps({"op": name, "ok": False, "error": type(e).__name__, "message": str(e)[:300]}), flush=True)
            return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
