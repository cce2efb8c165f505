"""Demo information hub: fifteen pages (the handbook, the payment policy with its live tables, emergencies,
allegations, independent support, questions carers ask), the teams' contacts, the social workers' own contact
details, and six newsletters made as real PDFs and sent through the upload pipeline."""

from __future__ import annotations

import io
from datetime import date, timedelta

from sqlalchemy import select

from portal.auth.models import User
from portal.core.clock import today
from portal.core.db import db
from portal.core.pdf import Document
from portal.hub.models import HubPage, Newsletter, StaffContactDetails, TeamContact
from portal.hub.services import PageDetails, add_newsletter, save_page

HANDBOOK = "handbook"
# section, title, summary, Markdown, live tables
PAGES = [
    (HANDBOOK, "Welcome to fostering with us", "Who we are, and how we support you.",
     "# Who we are\n\nWe are the council's fostering service. Every household has a **supervising social worker** who visits at least every six weeks.\n\n## What we expect of each other\n\n* We answer your calls and messages within two working days.\n* You keep daily logs and tell us about significant events the same day.\n* We review your approval every year.", ()),
    (HANDBOOK, "Your supervising social worker", "Visits, supervision and your annual review.",
     "# Supervision\n\nYour supervising social worker visits at least every six weeks, with one unannounced visit a year. Each visit is recorded and you can read the record in **Documents**.\n\n## Annual review\n\nYour approval is reviewed every twelve months. You will be asked for your views, and so will the children's social workers.", ()),
    (HANDBOOK, "Recording and daily logs", "What to write, and when.",
     "# Why we record\n\nLogs are part of each child's story. Write facts, say who said what, and record achievements as well as worries.\n\n## Significant events\n\nTell your supervising social worker the same day about an accident, an illness needing a doctor, a missing episode, or contact with the police.", ()),
    (HANDBOOK, "Safe caring", "Your household's safe caring policy.",
     "# Safe caring\n\nYour safe caring policy is agreed with your supervising social worker and reviewed when a new child arrives. It covers privacy, bathrooms and bedrooms, touch, photographs and the internet.", ()),
    (HANDBOOK, "Training and development", "Mandatory courses and the TSD standards.",
     "# Training\n\nMainstream carers complete the **Training, Support and Development standards** within 12 months of approval; family and friends carers within 18 months.\n\nBook courses in Hearth; your certificates are kept in your record.", ()),
    ("payment_policy", "Payment policy", "How allowances, fees and expenses are paid, with this year's rates.",
     "# How we pay\n\nAllowances and fees are paid **fortnightly in arrears** into your bank account. Part weeks are paid in sevenths, for each night a child is with you.\n\n## Claims\n\nClaim mileage and expenses monthly, with a receipt for every expense. Claims older than three months, or from a previous financial year, need a manager's agreement.\n\nThe tables below come straight from the rates our payments use.",
     ("allowance-rates", "fee-rates", "extras", "mileage-rates")),
    ("allowances", "Birthday, festival and holiday payments", "Extras paid for each child.",
     "# Extras\n\nEach child receives a birthday payment the week before their birthday, a festival payment for one religious festival a year, and a holiday payment before the summer holidays.", ("extras",)),
    ("allowances", "Mileage and travel", "Which journeys you can claim, and at what rate.",
     "# Mileage\n\nYou can claim journeys for family time, health, education, court, training and placement meetings. Enter each journey in Hearth with its purpose and the children it was for.", ("mileage-rates",)),
    ("allowances", "Tax and National Insurance", "Qualifying Care Relief, in brief.",
     "# Qualifying Care Relief\n\nMost foster carers pay no tax on their fostering income because of **Qualifying Care Relief**. Your annual statement after each tax year shows what you were paid. See [GOV.UK: Foster carers and tax](https://www.gov.uk/foster-carers/help-with-tax).", ()),
    ("emergency", "What to do in an emergency", "Out of hours, missing children, and when to call 999.",
     "# If a child is in danger\n\nCall **999**.\n\n## Out of hours\n\nCall the out-of-hours team for anything that cannot wait until the next working day. They can see the child's placement details.\n\n## If a child is missing\n\n1. Search the house and garden, and call their friends.\n2. Call the police on 999 if you are worried, or 101 after an hour.\n3. Tell the out-of-hours team.", ()),
    ("emergency", "A child is ill or injured", "Doctors, hospitals and consent.",
     "# Illness and injury\n\nYou can give consent for routine treatment. Take the child's placement information form with you to hospital. Tell your supervising social worker the same day.", ()),
    ("allegations", "If an allegation is made", "What happens, and the support you will get.",
     "# Allegations\n\nAn allegation can be made against any carer. If it happens, you will be told as soon as it is safe to do so, offered **independent support**, and kept informed. Fees continue while the allegation is investigated.", ()),
    ("independent_support", "Independent support services", "Advice from outside the council.",
     "# Independent support\n\n* **Fosterline**: free, confidential advice for foster carers in England. [fosterline.info](https://www.fosterline.info)\n* **The Fostering Network**: membership includes legal advice and independent support during allegations.\n* **Kinship**: advice for family and friends carers. [kinship.org.uk](https://kinship.org.uk)", ()),
    ("faqs", "Questions carers ask", "Holidays, babysitters, bank accounts and more.",
     "# Can we take a child on holiday abroad?\n\nUsually yes, with the child's social worker's agreement. Ask at least six weeks ahead, for passports and consent.\n\n# Can a friend babysit?\n\nYes, for short periods, if they are over 18 and your safe caring policy allows it.\n\n# When will my claim be paid?\n\nHearth shows the expected date on each claim.", ()),
    ("faqs", "Using Hearth on your phone", "Install it, sign in safely, and work offline.",
     "# Install Hearth\n\nOpen Hearth in your phone's browser and choose **Add to home screen**.\n\n# Offline\n\nInformation pages you have opened can be read without a signal. Logs you write offline are sent when you are back online.", ()),
]  # fmt: skip

TEAMS = [
    ("Fostering team (duty line)", "Questions about your household, approval or placements", "01632 960100", "fostering@northshire.example.gov.uk", "Monday to Friday, 9am to 5pm"),
    ("Business support", "Payments, claims and statements", "01632 960200", "fostering.payments@northshire.example.gov.uk", "Monday to Friday, 9am to 4pm"),
    ("Training team", "Courses, bookings and certificates", "01632 960300", "fostering.training@northshire.example.gov.uk", "Monday to Thursday, 9am to 5pm"),
    ("Mentoring scheme", "Mentors for applicants and new carers", "01632 960400", "fostering.mentoring@northshire.example.gov.uk", "Tuesday to Thursday"),
    ("Out-of-hours team", "Emergencies that cannot wait until the next working day", "0300 123 4567", "", "5pm to 9am on weekdays, all weekend and bank holidays"),
]  # fmt: skip

STAFF = {
    "ssw@example.org": ("Supervising social worker", "01632 960111", "", "Monday to Thursday, 9am to 5pm"),
    "ssw2@example.org": ("Supervising social worker", "01632 960112", "", "Monday to Friday, 9.30am to 3pm"),
    "socialworker@example.org": (
        "Child's social worker, Looked After Children team",
        "01632 960150",
        "",
        "Monday to Friday",
    ),
}

NEWSLETTERS = [
    (
        "Summer newsletter",
        180,
        "Support group dates for the summer, the new mileage rate, and carers' stories from the family fun day.",
    ),
    (
        "Autumn newsletter",
        90,
        "The annual review process explained, training dates for the autumn term, and a welcome to new carers.",
    ),
    (
        "Mileage rate update",
        150,
        "HMRC's new 55p a mile rate from 6 April 2026, and what carers are owed for journeys already paid.",
    ),
    (
        "Winter newsletter",
        30,
        "Christmas payments, out-of-hours arrangements over the holidays, and the kinship circle's first year.",
    ),
    (
        "Sons and daughters special",
        60,
        "Activities for carers' own children, and what young people told us about fostering.",
    ),
    (
        "Spring newsletter",
        270,
        "Recruitment fortnight, a new walk-and-talk group, and how to use Hearth on your phone.",
    ),
]


def _newsletter_pdf(title: str, summary: str) -> io.BytesIO:
    doc = Document(title=title)
    doc.add_page()
    doc.heading(title, size=18)
    doc.para(summary, size=12)
    doc.para("North Shire fostering service: news for foster carers and their families.")
    return io.BytesIO(bytes(doc.output()))


def load_hub_demo() -> None:
    """Idempotent: pages, contacts and newsletters are added only when there are none."""
    admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    if admin is None or db.session.scalar(select(HubPage.id).limit(1)) is not None:
        return
    on = today()
    owners = {
        e: db.session.scalar(select(User).where(User.email == e))
        for e in ("admin@example.org", "support@example.org", "ssw@example.org")
    }
    for position, (section, title, summary, body, live) in enumerate(PAGES):
        owner = (
            owners["support@example.org"] if section in ("payment_policy", "allowances") else owners["ssw@example.org"]
        )
        # One page is already overdue for review, so the reminder shows.
        reviewed = on - timedelta(days=400) if title == "Safe caring" else on - timedelta(days=30 + position * 7)
        save_page(
            admin,
            None,
            PageDetails(section, title, summary, body, position, live, (owner or admin).id, reviewed, 12),
        )
    for position, (name, description, phone, email, hours) in enumerate(TEAMS):
        db.session.add(
            TeamContact(name=name, description=description, phone=phone, email=email, hours=hours, position=position)
        )
    for email, (job, phone, mail, hours) in STAFF.items():
        person = db.session.scalar(select(User).where(User.email == email))
        if person is not None:
            db.session.add(StaffContactDetails(user_id=person.id, job_title=job, phone=phone, email=mail, hours=hours))
    db.session.commit()
    if db.session.scalar(select(Newsletter.id).limit(1)) is None:
        for title, days_ago, summary in NEWSLETTERS:
            add_newsletter(
                admin,
                _newsletter_pdf(title, summary),
                f"{title.lower().replace(' ', '-')}.pdf",
                title=title,
                issue_date=on - timedelta(days=days_ago) if days_ago else date(on.year, 1, 1),
                summary=summary,
            )
