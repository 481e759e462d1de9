"""Files a user drops beside a scorecard's exports that hold none of its kinds (product events, job applicants,
time sheets), each on a small frame written here: the recogniser says "not recognised" for them, for the evidence
that its rows are something else, while the kind they resemble still reads its own files."""

from __future__ import annotations

from tests.rawtables import recognised

# ---- events that touch no buyer --------------------------------------------------------------------------------

EVENTS = ["event_id", "event_type", "event_time", "user_id", "platform", "country", "app_version"]
EVENT_ROWS = [
    ["e-101", "page_view", "2025-01-03 10:01:22", "u7", "web", "DE", "3.2.1"],
    ["e-102", "button_click", "2025-01-03 10:01:40", "u7", "web", "DE", "3.2.1"],
    ["e-103", "page_view", "2025-01-03 11:15:02", "u9", "ios", "US", "3.2.0"],
    ["e-104", "file_upload", "2025-01-03 11:17:45", "u9", "ios", "US", "3.2.0"],
    ["e-105", "logout", "2025-01-03 12:00:00", "u2", "android", "FR", "3.1.9"],
]


def test_product_events_that_say_nothing_of_a_touch_with_a_buyer_are_not_activities():
    """An analytics tool's events have an id, a type, a time and a user, as sales activities do, but nothing of
    with whom, about what, how long or how it went: they are not recognised."""
    recognition = recognised(EVENTS, EVENT_ROWS, "events.csv")
    assert recognition.kind is None
    assert dict(recognition.ranked)["activities"] < 0.37


def test_events_with_a_duration_and_an_outcome_are_still_calls():
    header = ["event_id", "event_type", "event_time", "user_id", "duration", "outcome"]
    rows = [
        ["c-1", "call", "2025-01-03 10:01:22", "Ana", "12", "Connected"],
        ["c-2", "call", "2025-01-03 10:31:40", "Ana", "0", "No answer"],
        ["c-3", "meeting", "2025-01-03 11:15:02", "Ben", "30", "Connected"],
        ["c-4", "call", "2025-01-03 11:47:45", "Ben", "3", "Left voicemail"],
        ["c-5", "call", "2025-01-03 12:00:00", "Ana", "7", "Connected"],
    ]
    recognition = recognised(header, rows, "events.csv")
    assert recognition.kind == "activities"
    assert {f: c.column for f, c in recognition.choices.items()}["duration_minutes"] == "duration"


# ---- rows keyed by something no kind is ------------------------------------------------------------------------

APPLICANTS = ["Applicant ID", "Name", "Email", "Origin", "Stage", "Current Company", "Current Title", "Applied At"]
APPLICANT_ROWS = [
    ["a-5501", "Ines Ward", "ines@example.com", "sourced", "Phone screen", "Quill", "Account Executive", "2025-02-01"],
    ["a-5502", "Bo Chen", "bo@example.com", "applied", "Onsite", "Tern", "SDR", "2025-02-02"],
    ["a-5503", "Raj Patel", "raj@example.com", "referred", "Offer", "Kelp", "Marketing Manager", "2025-02-03"],
    ["a-5504", "Eve Adams", "eve@example.com", "applied", "New applicant", "", "Student", "2025-02-05"],
    ["a-5505", "Lu Wang", "lu@example.com", "agency", "Archived", "Dune", "Sales Director", "2025-02-07"],
]


def test_people_keyed_by_an_applicant_id_are_not_leads():
    """Applicants of an ATS have a source, a stage, a company and a title as leads do; their own unique key is
    named after applicants, which no kind is, and leads found no id: they are not recognised."""
    recognition = recognised(APPLICANTS, APPLICANT_ROWS, "applicants.csv")
    assert recognition.kind is None
    assert dict(recognition.ranked)["leads"] < 0.37


def test_people_keyed_by_a_contact_id_are_leads():
    header = ["Contact ID", *APPLICANTS[1:]]
    recognition = recognised(header, APPLICANT_ROWS, "applicants.csv")
    assert recognition.kind == "leads"
    assert recognition.choices["lead_id"].column == "Contact ID"


# ---- amounts that are units times a price ---------------------------------------------------------------------

TIME_ENTRIES = ["Date", "Client", "Project", "Task", "Hours", "Billable?", "First Name", "Cost Rate", "Cost Amount"]
TIME_ROWS = [
    ["2025-02-03", "Acme", "Relaunch", "Design", "3.5", "Yes", "Ines", "55.00", "192.50"],
    ["2025-02-03", "Acme", "Relaunch", "PM", "0.75", "Yes", "Paul", "65.00", "48.75"],
    ["2025-02-04", "Nordlicht", "SEO audit", "Research", "4.25", "Yes", "Lea", "70.00", "297.50"],
    ["2025-02-05", "Internal", "Admin", "Proposal", "2.0", "No", "Paul", "65.00", "130.00"],
    ["2025-02-06", "Kite", "Discovery", "Workshop", "5.0", "Yes", "Ines", "55.00", "275.00"],
]


def test_a_cost_that_is_hours_times_a_cost_rate_is_not_spend():
    """A time sheet's cost of hours has a date and an amount, as spend does, but the amount is the hours times
    the person's cost rate on every row (3.5 h x 55 = 192.50): priced work, so the sheet is not recognised."""
    recognition = recognised(TIME_ENTRIES, TIME_ROWS, "detailed_time.csv")
    assert recognition.kind is None
    assert dict(recognition.ranked)["spend"] < 0.37


def test_dated_costs_booked_to_an_account_are_spend():
    header = ["Date", "Account", "Vendor", "Department", "Class", "Approved?", "Entered By", "Card", "Amount"]
    rows = [
        ["2025-02-03", "6100 Advertising", "Google Ads", "Marketing", "Paid", "Yes", "Ines", "4411", "1,192.50"],
        ["2025-02-03", "6300 Software", "HubSpot", "Marketing", "Tools", "Yes", "Paul", "4411", "800.00"],
        ["2025-02-04", "6100 Advertising", "LinkedIn", "Marketing", "Paid", "Yes", "Lea", "2290", "2,297.50"],
        ["2025-02-05", "6500 Travel", "Delta", "Sales", "Travel", "No", "Paul", "7734", "530.00"],
        ["2025-02-06", "6150 Events", "Eventbrite", "Marketing", "Events", "Yes", "Ines", "4411", "275.00"],
    ]
    recognition = recognised(header, rows, "card_transactions.csv")
    assert recognition.kind == "spend"
    assert recognition.choices["account"].column == "Account"


CLOCKIFY = ["Project", "Client", "Description", "User", "Email", "Billable", "Start Date", "Start Time",
            "Duration (decimal)", "Billable Rate (USD)", "Billable Amount (USD)"]  # fmt: skip
CLOCKIFY_ROWS = [
    ["Rebrand", "Oak & Ash", "Logo sketches", "Mia Lee", "mia@example.com", "Yes", "03/02/2025", "09:00:00",
     "2.50", "90.00", "225.00"],
    ["Rebrand", "Oak & Ash", "Client call", "Tom Roy", "tom@example.com", "Yes", "03/02/2025", "13:00:00",
     "0.75", "110.00", "82.50"],
    ["Intranet", "Vela Bank", "Sprint planning", "Tom Roy", "tom@example.com", "No", "04/02/2025", "10:00:00",
     "1.00", "0.00", "0.00"],
    ["Intranet", "Vela Bank", "API work", "Ana Ruiz", "ana@example.com", "Yes", "04/02/2025", "09:15:00",
     "7.00", "95.00", "665.00"],
    ["Rebrand", "Oak & Ash", "Colour study", "Mia Lee", "mia@example.com", "Yes", "05/02/2025", "09:00:00",
     "3.00", "90.00", "270.00"],
]  # fmt: skip


def test_amounts_that_are_hours_times_a_rate_are_not_spend():
    """A time report's billable amount is its duration times its rate on every row (2.5 h x 90 = 225): priced
    work, even with a description that could be a memo, so spend loses; the report is not recognised."""
    recognition = recognised(CLOCKIFY, CLOCKIFY_ROWS, "Clockify_Time_Report_Detailed.csv")
    assert recognition.kind is None
    assert dict(recognition.ranked)["spend"] < 0.37
    spend = recognised(CLOCKIFY, CLOCKIFY_ROWS, "Clockify_Time_Report_Detailed.csv", "spend")
    assert "'Duration (decimal)' times 'Billable Rate (USD)'" in spend.reason


# ---- people who signed up for an event -------------------------------------------------------------------------

REGISTRANTS = ["Registrant ID", "Registered", "First Name", "Last Name", "Email", "Ticket Type", "Company", "Job Title"]
REGISTRANT_ROWS = [
    ["r-901", "2025-04-02", "Nadia", "Rahman", "nadia@example.com", "General", "Cobalt Health", "Demand Gen Manager"],
    ["r-902", "2025-04-02", "Peter", "Lind", "peter@example.se", "General", "Nordvik", "Head of Sales"],
    ["r-903", "2025-04-03", "Amara", "Okoye", "amara@example.com", "VIP", "Lagoon Payments", "CMO"],
    ["r-904", "2025-04-04", "Sofia", "Greco", "sofia@example.it", "General", "Arcadia", "Marketing Analyst"],
    ["r-905", "2025-04-05", "Diego", "Alvarez", "diego@example.mx", "VIP", "Taller Nube", "Founder"],
]


def test_an_event_s_registrants_are_leads_whatever_their_ticket_type():
    """Registrants of a webinar or an event are leads, keyed by their registrant id; a file named after them
    says what a row is more surely than its `Ticket Type` (which says a support ticket in a helpdesk export)."""
    recognition = recognised(REGISTRANTS, REGISTRANT_ROWS, "registrants.csv")
    assert recognition.kind == "leads"
    assert recognition.choices["lead_id"].column == "Registrant ID"
    helpdesk = recognised(["Ticket ID", "Subject", "Ticket Type", "Status", "Email"], [
        ["t-1", "Login fails", "Incident", "Open", "a@example.com"],
        ["t-2", "Refund please", "Question", "Solved", "b@example.com"],
        ["t-3", "Export broken", "Problem", "Pending", "c@example.com"],
    ], "export.csv")  # fmt: skip
    assert helpdesk.kind is None


def test_head_count_bands_past_a_thousand_are_still_bands():
    """Zoom's registration questions give `1001-5000` and LinkedIn's `10,001+` beside `51-100`: all bands of a
    head count, read as the number of employees (their lower bound)."""
    header = ["Email", "Organization", "Job Title", "Number of Employees", "Registration Time"]
    rows = [
        ["ana@example.com", "Quay", "CRO", "1001-5000", "2025-02-24 09:12"],
        ["bo@example.com", "Verde", "Sales Manager", "101-250", "2025-02-24 11:40"],
        ["cy@example.com", "Fjord", "VP Sales", "51-100", "2025-02-25 08:03"],
        ["di@example.com", "Kansai", "CMO", "10,001+", "2025-02-26 14:55"],
        ["ed@example.com", "Gulf", "Head of RevOps", "1,001 - 5,000", "2025-03-01 06:44"],
        ["fa@example.com", "Wisla", "Analyst", "21-50", "2025-03-03 10:10"],
    ]
    recognition = recognised(header, rows, "registrants.csv")
    assert recognition.kind == "leads"
    assert recognition.choices["employees"].column == "Number of Employees"


def test_a_payee_s_account_number_is_no_ledger_account():
    """A bank statement read as spend: `Payee Account Number` is the bank account of whom a transfer paid, not the
    ledger account the money is booked to, so it is left unmapped; a plain `Account` still is the ledger's."""
    header = ["ID", "Date", "Amount", "Currency", "Description", "Payee Name", "Payee Account Number", "Fees"]
    rows = [
        ["T-1", "02-06-2025", "-1500.00", "EUR", "Card transaction issued by Facebk *ads", "", "", "0.00"],
        ["T-2", "05-06-2025", "-6100.00", "EUR", "Sent money to Studio Pixelbaum", "Studio Pixelbaum",
         "DE89370400440532013000", "0.00"],
        ["T-3", "09-06-2025", "-2350.40", "EUR", "Card transaction issued by Google *Ads", "", "", "0.00"],
        ["T-4", "12-06-2025", "-800.00", "EUR", "Sent money to Copy & Co", "Copy & Co", "FR7630006000011234567890189",
         "0.00"],
        ["T-5", "16-06-2025", "-420.00", "EUR", "Card transaction issued by LinkedIn *Ads", "", "", "0.00"],
    ]  # fmt: skip
    recognition = recognised(header, rows, "statement.csv", "spend")
    assert recognition.choices["amount"].column == "Amount"
    assert "account" not in recognition.choices
    booked = recognised(["Account", *header[1:]], [["6100", *row[1:]] for row in rows], "statement.csv", "spend")
    assert booked.choices["account"].column == "Account"
