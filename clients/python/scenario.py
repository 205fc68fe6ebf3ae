"""A short scenario through the Python client generated from openapi/openapi.json (see
.ci/clients.sh), against a running server with the demo data:

an officer of Tỉnh Châu signs in, finds the birth registration in the catalogue (the public one
shows it too, without signing in), receives a dossier at the desk, reads it back, uploads the scan
of its first component and downloads it again; the applicant looks the dossier up without signing
in, by its code and the last 4 digits of the phone given; the commune's leader reads the report
summary for the current quarter before and after, and finds the new dossier counted.

    PYTHONPATH=target/clients/python MOTCUA_URL=http://127.0.0.1:8080 python clients/python/scenario.py
"""

import datetime as dt
import hashlib
import io
import os
import re
import sys
import uuid

from motcua_client import AuthenticatedClient, Client
from motcua_client.types import File
from motcua_client.api.auth import auth_issue_token, auth_me
from motcua_client.api.dossiers import (
    dossiers_create,
    dossiers_download_file,
    dossiers_get,
    dossiers_upload_file,
)
from motcua_client.api.procedures import procedures_import, procedures_list
from motcua_client.api.public import public_dossier, public_list_procedures
from motcua_client.api.reports import reports_summary
from motcua_client.models import (
    Applicant,
    CatalogueFile,
    ApplicantKind,
    Channel,
    Dossier,
    DossierComponent,
    DossierFile,
    FileKind,
    FileUpload,
    ImportReport,
    Me,
    NewDossier,
    PageProcedure,
    PagePublicProcedure,
    PublicDossier,
    Status,
    Summary,
    TokenRequest,
    TokenResponse,
)

BASE = os.environ.get("MOTCUA_URL", "http://127.0.0.1:8080")
PASSWORD = os.environ.get("MOTCUA_PASSWORD", "motcua-demo-2024")
VIETNAM = dt.timezone(dt.timedelta(hours=7))

passed = 0


def check(condition: bool, what: str) -> None:
    global passed
    if not condition:
        print(f"FAIL {what}")
        print(f"scenario: {passed} passed, 1 failed")
        sys.exit(1)
    passed += 1
    print(f"ok   {what}")


def sign_in(username: str) -> AuthenticatedClient:
    # The token endpoint is public: a plain Client calls it.
    anonymous = Client(base_url=BASE, raise_on_unexpected_status=True)
    token = auth_issue_token.sync(client=anonymous, body=TokenRequest(username=username, password=PASSWORD))
    check(isinstance(token, TokenResponse) and token.token_type == "Bearer", f"{username} signs in")
    return AuthenticatedClient(base_url=BASE, token=token.access_token, raise_on_unexpected_status=True)


def current_quarter() -> tuple[dt.date, dt.date]:
    """The quarter of today in Vietnam, where the report's days are counted."""
    today = dt.datetime.now(VIETNAM).date()
    first_month = 3 * ((today.month - 1) // 3) + 1
    start = dt.date(today.year, first_month, 1)
    if first_month == 10:
        next_start = dt.date(today.year + 1, 1, 1)
    else:
        next_start = dt.date(today.year, first_month + 3, 1)
    return start, next_start - dt.timedelta(days=1)


def main() -> None:
    officer = sign_in("cuong.tt")
    leader = sign_in("lanhdao")

    caller = auth_me.sync(client=officer)
    check(isinstance(caller, Me) and caller.role == "officer" and caller.agency is not None, "the officer's agency")
    agency = caller.agency

    start, end = current_quarter()
    before = reports_summary.sync(client=leader, agency_id=agency.id, from_=start, to=end)
    check(isinstance(before, Summary) and before.period.from_ == start, f"the report for {start} to {end}")

    page = procedures_list.sync(client=officer, q="khai sinh", limit=5)
    check(isinstance(page, PageProcedure) and len(page.items) > 0, "the catalogue finds 'khai sinh'")
    procedure = page.items[0]
    anonymous = Client(base_url=BASE, raise_on_unexpected_status=True)
    public_page = public_list_procedures.sync(client=anonymous, q="khai sinh", limit=5)
    check(
        isinstance(public_page, PagePublicProcedure) and public_page.items[0].id == procedure.id,
        "the public catalogue shows it without signing in",
    )

    new = NewDossier(
        procedure_id=procedure.id,
        agency_id=agency.id,
        channel=Channel.DIRECT,
        applicant=Applicant(
            kind=ApplicantKind.CITIZEN,
            full_name="Nguyễn Thị Bình",
            id_number="051090001234",
            phone="0912345678",
            address="Thôn 2, xã Tỉnh Châu",
        ),
        components=[DossierComponent(name=c.name, digitized=True) for c in procedure.components],
    )
    response = dossiers_create.sync_detailed(client=officer, body=new, idempotency_key=str(uuid.uuid4()))
    created = response.parsed
    check(response.status_code == 201 and isinstance(created, Dossier), "a desk intake answers 201 with the dossier")
    check(created.status == Status.PROCESSING, "desk intake is accepted at once")
    check(
        re.fullmatch(rf"{re.escape(agency.code)}-\d{{6}}-\d{{4,}}", created.code) is not None,
        f"its code {created.code} has the national shape",
    )
    check(
        response.headers.get("location") == f"/api/v1/dossiers/{created.id}",
        "Location names the new dossier",
    )
    check(isinstance(created.due_at, dt.datetime) and created.due_at > created.submitted_at, "it has a due date")

    read = dossiers_get.sync(client=officer, id=created.id)
    check(isinstance(read, Dossier) and read.code == created.code, "it reads back")
    check(read.applicant.full_name == "Nguyễn Thị Bình", "the Vietnamese name round-trips exactly")
    check(len(read.components) == len(procedure.components), "with its components")

    scan = b"%PDF-1.7\n" + os.urandom(50_000)
    form = FileUpload(file=File(payload=io.BytesIO(scan), file_name="Tờ khai.pdf"), kind=FileKind.COMPONENT, component=0)
    response = dossiers_upload_file.sync_detailed(client=officer, id=created.id, body=form)
    kept = response.parsed
    check(response.status_code == 201 and isinstance(kept, DossierFile), "the scan uploads as multipart/form-data")
    check(kept.sha256 == hashlib.sha256(scan).hexdigest() and kept.content_type == "application/pdf", "kept whole, as a PDF")
    check(kept.file_name == "Tờ khai.pdf", "under its Vietnamese name")
    downloaded = dossiers_download_file.sync_detailed(client=officer, id=created.id, file_id=kept.id)
    check(downloaded.status_code == 200 and downloaded.content == scan, "it downloads byte for byte")

    # The applicant follows the dossier without signing in: its code and the phone's last 4 digits.
    looked_up = public_dossier.sync_detailed(client=anonymous, code=created.code, check="5678")
    check(
        looked_up.status_code == 200
        and isinstance(looked_up.parsed, PublicDossier)
        and looked_up.parsed.status == Status.PROCESSING,
        "the applicant looks it up by its code and check",
    )
    check(looked_up.headers.get("cache-control") == "private, no-cache", "the lookup is the applicant's alone to cache")
    wrong = public_dossier.sync_detailed(client=anonymous, code=created.code, check="0000")
    check(wrong.status_code == 404, "a wrong check answers like an unknown code")

    after = reports_summary.sync(client=leader, agency_id=agency.id, from_=start, to=end)
    check(isinstance(after, Summary), "the report again")
    check(after.reception.new_direct == before.reception.new_direct + 1, "the report counts one more desk intake")
    check(after.reception.total == before.reception.total + 1, "and one more dossier received in all")

    # An administrator imports a catalogue file through the multipart form: one `file` part.
    admin = sign_in("admin")
    header = "code,name,field,level,online_service,processing_value,processing_unit,fee"
    code = f"9.{uuid.uuid4().int % 1_000_000:06d}"
    sheet = f"{header}\n{code},Thủ tục thử nhập danh mục,Hộ tịch,commune,none,3,working_days,0\n".encode()
    imported = procedures_import.sync(
        client=admin, body=CatalogueFile(file=File(payload=io.BytesIO(sheet), file_name="danh-muc.csv"))
    )
    check(isinstance(imported, ImportReport) and imported.created == 1, "the catalogue imports a CSV as multipart/form-data")
    document = io.BytesIO(b"PK\x03\x04" + os.urandom(64))
    refused = procedures_import.sync_detailed(
        client=admin, body=CatalogueFile(file=File(payload=document, file_name="bao-cao.docx"))
    )
    check(refused.status_code == 422, "a file that is no spreadsheet is refused with 422")

    print(f"scenario: {passed} passed, 0 failed")


if __name__ == "__main__":
    main()
