"""General rules of the evidence weighing (core/imports/recognise.py, profile.py, reshape.py), each on a small frame
written here: the field (or kind, or reshape) chosen and the reason given for it."""

from __future__ import annotations

import duckdb
import pytest

from core.imports.names import phrase
from core.imports.profile import header_phrases, profile_table
from core.imports.recognise import recognise
from core.imports.reshape import find_nps_series, find_wide
from tests.rawtables import raw_table, recognised


def _wide(header: list[str], rows: list[list[str]], source: str):
    con = duckdb.connect()
    raw = raw_table(con, header, rows, source=source)
    return find_wide(con, raw), find_nps_series(con, raw)


# ---- an e-mail is a person's attribute, not a key ------------------------------------------------------------


def test_an_email_column_is_not_a_reference_id():
    """Copper's deals name their contact by e-mail (`Primary Contact Email`): no lead id. The e-mail words of
    `contact` still name it, but its values are e-mails, which fit an id at 0.3."""
    header = ["Name", "Primary Contact Email", "Pipeline Stage Name", "Status", "Monetary Value", "Close Date"]
    rows = [
        ["Acme - Expansion", "tariq@example.com", "Proposal", "Open", "52000", "05/28/2024"],
        ["Birch - Platform", "bram@example.com", "Qualified", "Open", "4800", "05/29/2024"],
        ["Cedar - Pilot", "ines@example.com", "Closed", "Won", "75500", "05/20/2024"],
        ["Delta - Renewal", "nora@example.com", "Negotiation", "Lost", "12000", "06/02/2024"],
    ]
    recognition = recognised(header, rows, "copper_opportunities.csv")
    assert recognition.kind == "opportunities"
    assert "lead_id" not in recognition.choices
    as_lead_id = recognised(header, rows, "copper_opportunities.csv", "opportunities")
    assert "lead_id" not in as_lead_id.choices


# ---- a record id is not the product code other files carry -------------------------------------------------


def test_a_product_is_its_code_not_its_record_id():
    """HubSpot's products: `hs_object_id` (a record id, 0.97 x 0.8) gives way to `hs_sku` (`product code`: 0.85)."""
    header = ["hs_object_id", "name", "price", "hs_sku", "createdate"]
    rows = [
        ["1534843241", "Onboarding add-on", "5000.00", "SKU-300", "2023-04-02T12:50:15.000Z"],
        ["1535538476", "Growth plan", "1200.00", "SKU-301", "2023-01-14T10:46:27.000Z"],
        ["1535189644", "Growth package", "1200.00", "SKU-302", "2022-06-27T11:00:06.000Z"],
        ["1535189700", "Starter plan", "29.00", "SKU-303", "2022-07-01T09:00:00.000Z"],
    ]
    recognition = recognised(header, rows, "products_export.csv")
    assert recognition.kind == "products"
    assert recognition.choices["product"].column == "hs_sku"
    assert recognition.choices["product"].reason == "unique ids, named 'hs_sku'"


# ---- amounts in cents ----------------------------------------------------------------------------------------


CLOSE_HEADER = ["id", "status_label", "status_type", "value", "value_currency", "value_formatted", "date_won"]
CLOSE_ROWS = [
    ["oppo_JPB5CozGmAm6ba", "Contract Sent", "active", "360000", "USD", "$3,600.00", ""],
    ["oppo_S9kCaTL0iBfi5q", "Won", "won", "2875000", "USD", "$28,750.00", "2024-02-14"],
    ["oppo_w5F0aba126Jj1H", "Lost", "lost", "3935000", "USD", "$39,350.00", ""],
    ["oppo_x7G1bcb237Kk2I", "Demo", "active", "1200000", "USD", "$12,000.00", ""],
]


def test_an_amount_a_hundred_times_another_is_in_cents():
    """Close's `value` runs from 360000 to 3935000, exactly 100 times `value_formatted` ($3,600.00 to $39,350.00):
    it is the amount in cents, halved (1.0 -> 0.5), so the formatted amount (`value formatted`: 0.85) is taken."""
    recognition = recognised(CLOSE_HEADER, CLOSE_ROWS, "close_opportunities_export.csv")
    assert recognition.kind == "opportunities"
    assert recognition.choices["amount"].column == "value_formatted"


def test_an_amount_named_in_cents_is_not_the_amount():
    header = ["id", "stage", "amount_cents", "amount", "close_date"]
    rows = [
        ["d1", "Proposal", "150000", "1450.00", "2024-03-01"],
        ["d2", "Won", "99000", "990.00", "2024-03-04"],
        ["d3", "Lost", "250000", "2500.00", "2024-03-09"],
        ["d4", "Negotiation", "10000", "100.00", "2024-03-12"],
    ]
    recognition = recognised(header, rows, "deals.csv")
    assert recognition.choices["amount"].column == "amount"


# ---- a GUID beside the number people use -----------------------------------------------------------------------


def test_a_business_number_beside_a_guid_is_the_own_key():
    """Business Central's API gives each record a GUID `id` and a `number` (OP001000) that people quote: the number
    is the opportunity's id, at the own key's 0.9."""
    header = ["id", "number", "description", "status", "estimatedValue", "creationDate"]
    rows = [
        ["ec6dd11b-c870-ee11-e9f9-d7449f6215ff", "OP001000", "Upgrade service", "In Progress", "2500", "2024-02-12"],
        ["c2125aac-10b6-ee11-a1f7-d46000964888", "OP001003", "Extra licences", "Won", "48000", "2024-04-24"],
        ["32ad771c-8bb9-ee11-1fb5-c8dbec1805aa", "OP001006", "Upgrade licences", "Lost", "15000", "2024-05-02"],
        ["44be882d-9cca-ee11-2ac6-d9ecfd2916bb", "OP001009", "New site", "In Progress", "9000", "2024-05-20"],
    ]
    recognition = recognised(header, rows, "opportunities.csv")
    choice = recognition.choices["opportunity_id"]
    assert (choice.column, choice.score) == ("number", 0.9)
    assert choice.reason.endswith("the number people use, beside the system's GUID")


def test_a_guid_alone_stays_the_own_key():
    header = ["id", "description", "status", "estimatedValue"]
    rows = [
        ["ec6dd11b-c870-ee11-e9f9-d7449f6215ff", "Upgrade service", "In Progress", "2500"],
        ["c2125aac-10b6-ee11-a1f7-d46000964888", "Extra licences", "Won", "48000"],
        ["32ad771c-8bb9-ee11-1fb5-c8dbec1805aa", "Upgrade licences", "Lost", "15000"],
    ]
    assert recognised(header, rows, "opportunities.csv").choices["opportunity_id"].column == "id"


# ---- stages no list knows ------------------------------------------------------------------------------------


def test_many_unknown_stages_beside_won_and_lost_are_stages():
    """OroCRM's `Status Id`: solution_development, identification_alignment ... beside won and lost (6 values,
    half of them outcomes). An outcome has at most open, won, lost and abandoned: these are the deal's stages."""
    header = ["ID", "Opportunity Name", "Budget Amount", "Status Id"]
    stages = ["identification_alignment", "in_progress", "lost", "needs_analysis", "solution_development", "won"]
    rows = [[str(100 + i), f"Deal {i}", "5000", stage] for i, stage in enumerate(stages * 2)]
    recognition = recognised(header, rows, "opportunities.csv")
    assert recognition.choices["stage"].column == "Status Id"
    assert recognition.choices["stage"].reason.endswith("(its name does not say so)")
    assert "outcome" not in recognition.choices


def test_open_won_lost_abandoned_stay_an_outcome():
    header = ["Name", "Status", "Pipeline Stage Name", "Monetary Value"]
    rows = [
        ["A", "Open", "Proposal", "100"],
        ["B", "Won", "Closed", "200"],
        ["C", "Lost", "Closed", "300"],
        ["D", "Abandoned", "Qualified", "400"],
    ]
    recognition = recognised(header, rows, "opportunities.csv")
    assert recognition.choices["outcome"].column == "Status"
    assert recognition.choices["stage"].column == "Pipeline Stage Name"


# ---- a related record's prefix is kept --------------------------------------------------------------------------


ORGANIZATIONS = ["Acme Corp", "Birch Ltd", "Cedar Inc", "Delta GmbH"]


def test_another_records_prefix_names_that_record():
    """Pipedrive's deals export with organization columns: `Deal - ` (most headers) names the row and goes;
    `Organization - Name` is the organization's name, the deal's account, not the deal's name."""
    header = ["Deal - ID", "Deal - Title", "Deal - Value", "Deal - Stage", "Organization - Name", "Person - Email"]
    assert header_phrases(header) == ["id", "title", "value", "stage", "organization name", "person email"]
    rows = [
        [str(i), f"Deal {i}", str(1000 * i), stage, org, f"p{i}@example.com"]
        for i, (stage, org) in enumerate(
            zip(["Qualified", "Proposal Made", "Negotiations Started", "Contact Made"], ORGANIZATIONS, strict=True), 1
        )
    ]
    recognition = recognised(header, rows, "deals.csv")
    assert recognition.choices["name"].column == "Deal - Title"
    assert recognition.choices["account_id"].column == "Organization - Name"


def test_one_prefix_throughout_is_dropped():
    assert header_phrases(["Deal - ID", "Deal - Value", "Deal - Stage"]) == ["id", "value", "stage"]


def test_foreign_words_and_number_signs():
    assert phrase("ID de prospecto") == "id lead"
    assert phrase("Matricola") == "employee number"
    assert phrase("N° de facture") == "number invoice"
    assert phrase("Bestellnummer") == "order number"


# ---- what only another kind explains ----------------------------------------------------------------------------


PEOPLE_HEADER = ["ID", "First name", "Last name", "Email", "Position", "Hire date", "Termination date"]
PEOPLE = [
    ["1", "Ana", "Silva", "ana@example.com", "Account Executive", "2022-01-03", ""],
    ["2", "Ben", "Ode", "ben@example.com", "SDR", "2022-03-01", "2024-02-29"],
    ["3", "Chloe", "Ray", "chloe@example.com", "Engineer", "2021-06-14", ""],
    ["4", "Dan", "Moe", "dan@example.com", "Marketing Manager", "2023-09-01", ""],
]


def test_columns_only_another_kind_explains_weigh_against_a_kind():
    """Employees have an e-mail, a title and an id as leads do; their hire and termination dates only a roster
    explains (the hire date serves leads as their creation date; the termination date nothing), so read as leads
    the file says so and scores 6% less."""
    recognition = recognised(PEOPLE_HEADER, PEOPLE, "people.csv")
    assert recognition.kind == "headcount"
    as_leads = recognised(PEOPLE_HEADER, PEOPLE, "people.csv", "leads")
    assert "but 'Termination date' reads as Termination date of Headcount, which no lead, contact or MQL has" in (
        as_leads.reason
    )


# ---- deals say how far they got ----------------------------------------------------------------------------------


def test_an_id_an_amount_and_a_date_are_no_deals():
    """Stripe's balance history: an id, an amount, a currency and a date, as any money movement has; nothing says
    how far a deal got, and the file's name does not say deals."""
    header = ["id", "Type", "Amount", "Fee", "Currency", "Created (UTC)"]
    rows = [
        [f"txn_1P{i}abcXYZ", kind, f"{100 + i}.00", "3.20", "usd", f"2024-0{1 + i}-10 10:00"]
        for i, kind in enumerate(["charge", "refund", "payout", "charge", "charge"])
    ]
    as_deals = recognised(header, rows, "balance_history.csv", "opportunities")
    assert "but nothing says how far a deal got" in as_deals.reason
    assert recognised(header, rows, "balance_history.csv").kind != "opportunities"


# ---- wide tables that are not spend -------------------------------------------------------------------------------


def test_a_count_broken_down_by_kind_is_not_spend():
    """LinkedIn's follower metrics: `Sponsored followers`, `Organic followers` per day share `followers`: a count
    broken down, not spend per category."""
    header = ["Date", "Sponsored followers", "Organic followers", "Auto-invited followers"]
    rows = [[f"2024-06-0{i}", "2", str(10 + i), "0"] for i in range(1, 7)]
    assert _wide(header, rows, "followers.csv") == (None, None)


def test_channel_costs_are_spend_per_channel():
    header = ["Date", "TV", "Radio", "Search"]
    rows = [[f"2024-06-0{i}", "100", "50", "75"] for i in range(1, 7)]
    wide, _ = _wide(header, rows, "media.csv")
    assert wide is not None and wide.value_columns == ["TV", "Radio", "Search"]


def test_a_wide_table_whose_name_says_another_measure_is_not_spend():
    """Sessions per channel, revenue per region: channel and region columns per period, but the file's name says
    what the numbers are."""
    header = ["Month", "Organic Search", "Direct", "Referral", "Paid Search"]
    rows = [[f"2024-0{i}", "100", "80", "20", "50"] for i in range(1, 7)]
    assert _wide(header, rows, "channel_sessions.csv")[0] is None
    assert _wide(header, rows, "marketing_spend.csv")[0] is not None


def test_a_transposed_nps_table_is_not_spend():
    header = ["Metric", "Jan 2024", "Feb 2024", "Mar 2024"]
    rows = [["NPS", "32", "35", "31"], ["Responses", "120", "130", "110"]]
    assert _wide(header, rows, "nps_wide.csv")[0] is None


def test_a_period_start_column_dates_an_nps_series():
    """Delighted's trend export: `Period start`, `Period end` and the counts of promoters, passives, detractors."""
    header = ["Period start", "Period end", "NPS", "Promoter count", "Passive count", "Detractor count"]
    rows = [[f"2024-0{i}-01", f"2024-0{i}-28", "30", "5", "3", "2"] for i in range(1, 4)]
    _, series = _wide(header, rows, "delighted_trend.csv")
    assert series is not None and series.period_columns == ["Period start"]
    assert series.rows_out == 30  # (5 + 3 + 2) responses in each of three periods


# ---- an order's number and a key blank on some rows ---------------------------------------------------------------


SHOPIFY_HEADER = ["Name", "Email", "Total", "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price", "Id"]
SHOPIFY = [
    ["#1187", "jordan@example.com", "207.18", "2024-03-02 09:14:02", "2", "Sock", "18.00", "5678901234001"],
    ["#1187", "jordan@example.com", "", "2024-03-02 09:14:02", "1", "Jacket", "148.00", ""],
    ["#1188", "sam@example.com", "40.00", "2024-03-03 10:00:00", "1", "Cap", "40.00", "5678901234002"],
    ["#1189", "lee@example.com", "58.00", "2024-03-04 11:30:00", "1", "Jacket", "58.00", "5678901234003"],
    ["#1189", "lee@example.com", "", "2024-03-04 11:30:00", "2", "Sock", "18.00", ""],
]


def test_a_bare_id_blank_on_some_rows_gives_way_to_the_order_number():
    """Shopify's orders export: one row per line item, the order's `Id` on its first line only (blank on 2 of 5),
    so it keys no row (0.9 x 0.6 = 0.54); `Name` holds `#1187`, the number people quote (0.8)."""
    recognition = recognised(SHOPIFY_HEADER, SHOPIFY, "orders_export_1.csv")
    assert recognition.kind == "orders"
    choice = recognition.choices["order_id"]
    assert (choice.column, choice.score) == ("Name", 0.8)
    assert choice.reason == "numbers such as '#1187', as documents are numbered"


# ---- a product list keyed by its id, not by a measure named after it ------------------------------------------------


def test_a_products_id_is_its_key_and_its_measures_are_not():
    """Olist's products: `product_name_lenght` (sic) and `product_weight_g` end in a measure (the first misspelt),
    so they hold no product (halved); `product_id` holds `product` (0.75 + 0.2 x 1/2 = 0.85) and is taken, while
    `product_category_name` (0.88) goes to the category, where the pair weighs more."""
    header = ["product_id", "product_category_name", "product_name_lenght", "product_weight_g"]
    rows = [[f"1e9e8ef04dbcff454{i}1f1", ["perfumaria", "artes"][i % 2], str(40 + i), str(225 + i)] for i in range(6)]
    recognition = recognised(header, rows, "olist_products_dataset.csv")
    assert recognition.kind == "products"
    assert recognition.choices["product"].column == "product_id"
    assert recognition.choices["category"].column == "product_category_name"


# ---- an ERP names a deal by its description ------------------------------------------------------------------


def test_a_short_description_is_the_name_when_nothing_else_names_it():
    """Dynamics NAV's opportunity list: `Description` holds `Office fit-out`, the deal's only name."""
    header = ["No.", "Contact Company Name", "Description", "Status", "Estimated Value (LCY)"]
    rows = [
        ["OP000101", "Acme Corp", "Office fit-out", "In Progress", "12000"],
        ["OP000102", "Birch Ltd", "Printer fleet", "Won", "8000"],
        ["OP000103", "Cedar Inc", "Office fit-out", "Lost", "15000"],
        ["OP000104", "Delta GmbH", "Upgrade licences", "In Progress", "4000"],
    ]
    recognition = recognised(header, rows, "Opportunity List.csv")
    assert recognition.kind == "opportunities"
    choice = recognition.choices["name"]
    assert choice.column == "Description"
    assert choice.reason.endswith(": short descriptions, the only name")


def test_amounts_a_hundred_times_a_quantity_are_not_cents():
    """Every plan priced at 100: the amounts (100 to 500) are 100 times the quantities (1 to 5), which are no money."""
    header = ["Invoice Number", "Invoice Date", "Quantity", "Amount"]
    rows = [[f"INV-{i}", f"2024-03-0{i}", str(i), str(100 * i)] for i in range(1, 6)]
    recognition = recognised(header, rows, "invoices.csv")
    assert recognition.choices["amount"].column == "Amount"
    assert "cents" not in recognition.choices["amount"].reason


def test_campaign_columns_sharing_a_word_are_still_spend():
    header = ["Month", "Brand campaign", "Competitor campaign", "Generic campaign"]
    rows = [[f"2024-0{i}", "1000", "400", "700"] for i in range(1, 5)]
    wide, _ = _wide(header, rows, "budget.csv")
    assert wide is not None and wide.value_columns == header[1:]


def test_a_designation_is_a_leads_job_title():
    """Zoho CRM's leads name the job title `Designation`."""
    from core.imports.recognise import _name_score

    assert _name_score("leads", "title", phrase("Designation")) == 0.976  # its seventh name: 1 - 6 x 0.004


# ---- robustness: what the same export looks like elsewhere (bench/recognition_robustness.py) -----------------


def test_amounts_with_a_currency_symbol_after_a_decimal_comma_are_money():
    """European exports write `1.234,56 €`: numbers (from 49.9 to 52,000) and money, so the deal's amount."""
    header = ["Deal ID", "Stage", "Wert", "Close Date"]
    rows = [
        ["D-1", "Proposal", "52.000,00 €", "2024-05-28"],
        ["D-2", "Won", "4.800,50 €", "2024-05-29"],
        ["D-3", "Lost", "49,90 €", "2024-05-20"],
        ["D-4", "Negotiation", "-1.200,00 €", "2024-06-02"],
    ]
    con = duckdb.connect()
    profile = profile_table(con, raw_table(con, header, rows, source="export (1).csv"))
    value = profile.column("Wert")
    assert value.is_number and value.share("money") == 1.0
    assert (value.low, value.high) == (-1200.0, 52000.0)
    assert recognise(profile).choices["amount"].column == "Wert"


def test_companies_with_firmographics_and_no_person_are_accounts_whatever_the_file_is_called():
    """HubSpot's companies under a neutral name: lifecycle stages and firmographics fit leads too, but no column
    names a person (no first or last name, no title), so the rows are companies."""
    header = ["hs_object_id", "name", "domain", "industry", "numberofemployees", "annualrevenue", "lifecyclestage"]
    rows = [
        ["5011", "Acme Corp", "acme.example", "Software", "120", "5000000", "customer"],
        ["5012", "Birch Ltd", "birch.example", "Retail", "40", "900000", "lead"],
        ["5013", "Cedar AG", "cedar.example", "Manufacturing", "800", "45000000", "opportunity"],
        ["5014", "Delta SA", "delta.example", "Software", "15", "300000", "customer"],
    ]
    recognition = recognised(header, rows, "export (1).csv")
    assert recognition.kind == "accounts"
    assert recognition.choices["account_id"].column == "hs_object_id"
    people = recognised(["firstname", "lastname", *header[3:]], [["Ana", "Ruiz", *r[3:]] for r in rows], "x.csv")
    assert people.kind == "leads"  # the same firmographics beside a person's name: a lead


def test_priced_things_with_no_buyer_or_quantity_are_a_catalogue_not_orders():
    """Salesforce's Product2 under a neutral name: an `Id`, a code, a family and a created date. Nothing says
    who bought it or how much, and its key names no order, so it is a product list; nor is it activities, whose
    only telling field would be the bare `Id` (which keys any kind)."""
    header = ["Id", "Name", "ProductCode", "Family", "IsActive", "CreatedDate"]
    rows = [
        ["01t5e000001AbcD", "Growth plan", "GP-01", "Subscriptions", "true", "2023-01-14T10:46:27.000Z"],
        ["01t5e000001AbcE", "Onboarding", "ON-01", "Services", "true", "2023-02-01T09:00:00.000Z"],
        ["01t5e000001AbcF", "Starter plan", "SP-01", "Subscriptions", "false", "2022-07-01T09:00:00.000Z"],
        ["01t5e000001AbcG", "Premium support", "PS-01", "Services", "true", "2022-08-11T12:00:00.000Z"],
    ]
    recognition = recognised(header, rows, "export (2).csv")
    assert recognition.kind == "products"
    assert recognition.choices["product"].column == "ProductCode"
    lines = recognised(["order_id", "product_id", "price"], [["o1", "p1", "9.5"], ["o2", "p2", "3"]], "x.csv")
    assert lines.kind == "orders"  # a key named as an order: order lines, though no buyer is named


def test_a_bare_id_tells_the_kind_only_when_the_file_name_does():
    """An `Id`, a name and a created date: in `customers.csv` the rows are accounts; in `export (1).csv` the bare
    `Id` says nothing a customer, an activity or a lead cannot be without, so every kind is weighed down."""
    header = ["Id", "Name", "Created"]
    rows = [[f"cus_{n:04d}AbC", f"Customer {n}", f"2024-01-{n:02d}"] for n in range(1, 9)]
    named = recognised(header, rows, "customers.csv")
    assert named.kind == "accounts"
    assert named.choices["account_id"].column == "Id"
    neutral = recognised(header, rows, "export (1).csv", "activities")
    assert "nothing a" in neutral.reason and neutral.score < named.score


def test_date_added_is_when_the_record_was_created():
    """Mailchimp's `Date Added` (and `Added On`) in a deals or accounts file: its created date."""
    assert phrase("Date Added") == phrase("Added On") == "created date"
    header = ["Deal ID", "Deal Name", "Stage", "Amount", "Date Added"]
    rows = [[f"D-{n}", f"Deal {n}", "Proposal", f"{n}000", f"2024-03-{n:02d}"] for n in range(1, 7)]
    recognition = recognised(header, rows, "export (1).csv")
    assert recognition.kind == "opportunities"
    assert recognition.choices["created_at"].column == "Date Added"


def test_a_money_fields_value_is_its_amount():
    """`Line Value` and `Unit Value` in invoice lines say the line's amount and the unit's price, as `Line Amount`
    and `Unit Amount` do; `Refund Value` stays no sale's amount."""
    header = ["Invoice Number", "Customer ID", "Quantity", "Unit Value", "Line Value", "Refund Value"]
    rows = [[f"INV-{n}", f"C-{n % 3}", str(n), "12.50", f"{12.5 * n:.2f}", "0.00"] for n in range(1, 7)]
    recognition = recognised(header, rows, "export (1).csv")
    assert recognition.kind == "orders"
    assert recognition.choices["amount"].column == "Line Value"
    assert recognition.choices["unit_price"].column == "Unit Value"


def test_a_vendor_affix_inside_another_still_goes():
    """Pipedrive's `Lead - ` before Dynamics' `(Do Not Modify)`, or before HubSpot's `hs_`: both go."""
    assert phrase("Lead - (Do Not Modify) Lead") == phrase("(Do Not Modify) Lead") == "lead"
    assert phrase("Deal - hs_deal_stage") == phrase("hs_deal_stage") == "deal stage"


def test_e_mail_addresses_are_no_survey_comment():
    """A survey whose comment column is gone: its respondents' e-mail addresses (long, all different) are not
    taken as the comment; the written answers are."""
    header = ["Response ID", "Score", "Adresse e-mail", "Feedback"]
    rows = [
        [f"R{n}", str(n % 11), f"respondent.number{n}@example.com", f"Answer number {n} written at some length"]
        for n in range(1, 9)
    ]
    recognition = recognised(header, rows, "export (1).csv")
    assert recognition.kind == "nps"
    assert recognition.choices["comment"].column == "Feedback"
    alone = recognised(header[:3], [r[:3] for r in rows], "export (1).csv")
    assert "comment" not in alone.choices


def test_an_acronyms_plural_is_the_acronym():
    """HubSpot's `Associated Deal IDs`: `ids`, not the letters `i ds` camelCase splitting would make."""
    assert phrase("Associated Deal IDs") == "associated deal id"
    assert phrase("numberOfIDs") == phrase("Number of IDs") == "number id"


def test_keys_to_other_records_are_named_without_their_files():
    """A contacts file uploaded without its deals and companies (no links to find): its `Associated Deal IDs`
    and a person's `Organization (id)` are still the deal's and the account's keys, by their names."""
    header = ["Record ID", "First Name", "Last Name", "Email", "Associated Deal IDs", "Pessoa - Organização (id)"]
    rows = [[str(100 + n), "Ana", f"Ruiz{n}", f"ana{n}@example.com", str(9000 + n), str(50 + n)] for n in range(8)]
    recognition = recognised(header, rows, "export (1).csv")
    assert recognition.kind == "leads"
    assert recognition.choices["opportunity_id"].column == "Associated Deal IDs"
    assert recognition.choices["account_id"].column == "Pessoa - Organização (id)"


# ---- a lead that is an organisation, a status by how far it reaches -------------------------------------------


def test_a_status_label_is_the_status():
    """`stage_label` (how the value reads, beside a coded one) says `stage` a little less surely (x 0.97)."""
    from core.imports.recognise import name_score

    header = ["lead_key", "stage_label", "stage_code", "email"]
    rows = [[f"L{n}", s, str(i), f"p{n}@example.com"] for n, (i, s) in enumerate(enumerate(["New", "Qualified"] * 4))]
    con = duckdb.connect()
    table = profile_table(con, raw_table(con, header, rows))
    label = table.column("stage_label")
    assert name_score("leads", "status", label) == pytest.approx(
        0.97 * name_score("leads", "status", label_of("stage"))
    )
    recognition = recognised(header, rows, "people.csv")
    assert recognition.kind == "leads"
    assert recognition.choices["status"].column == "stage_label"


def label_of(header: str):
    con = duckdb.connect()
    return profile_table(con, raw_table(con, [header], [["x"]])).columns[0]


def test_a_bare_name_beside_the_contacts_name_is_the_company():
    """Rows naming their contact person by a whole name (`main_contact_name`): the row is an organisation, and
    its `display_name` the company; beside a first and a last name, a `Name` is the person's own."""
    header = ["id", "display_name", "main_contact_name", "main_contact_email", "status", "created"]
    rows = [
        [
            f"lead_{n:04d}",
            company,
            person,
            f"{person.split()[0].lower()}@example.com",
            "Qualified",
            "2024-03-0" + str(n),
        ]
        for n, (company, person) in enumerate(
            [("Harbor Tools", "Ana Ruiz"), ("Pine Labs", "Ben Ode"), ("Kite Air", "Cy Lam"), ("Ore Co", "Di Fox")], 1
        )
    ]
    recognition = recognised(header, rows, "export.csv")
    assert recognition.kind == "leads"
    assert recognition.choices["company"].column == "display_name"
    persons = [["Name", "First Name", "Last Name", "Email"], *[[r[2], *r[2].split(), r[3]] for r in rows]]
    assert "company" not in recognised(persons[0], persons[1:], "export.csv", "leads").choices


def test_the_status_that_reaches_customers_is_the_leads_status():
    """Two columns named as a lead's status: the one whose values reach a converted lead (Customer, Opportunity)
    says how far each lead got; the other (New, Working, Connected) only how sales works it: x 0.85. Also in
    French, accents and all (`Opportunité`, `Non qualifié`)."""
    header = ["Contact ID", "Email", "Sales Status", "Funnel Stage"]
    sales, funnel = ["New", "Working", "Connected", "New"], ["Subscriber", "Lead", "Customer", "Opportunity"]
    rows = [[str(n), f"p{n}@example.com", sales[n % 4], funnel[n % 4]] for n in range(8)]
    recognition = recognised(header, rows, "people.csv")
    assert recognition.choices["status"].column == "Funnel Stage"
    header_fr = ["ID du contact", "E-mail", "Statut du lead", "Étape du cycle de vie"]
    sales_fr, funnel_fr = ["Nouveau", "En cours", "Non qualifié", "Ouvert"], ["Abonné", "Lead", "Client", "Opportunité"]
    rows_fr = [[str(n), f"p{n}@example.com", sales_fr[n % 4], funnel_fr[n % 4]] for n in range(8)]
    recognition = recognised(header_fr, rows_fr, "contacts.csv")
    assert recognition.choices["status"].column == "Étape du cycle de vie"
    assert "how far leads got" in _candidate_reason(header_fr, rows_fr, "status", "Statut du lead")


def _candidate_reason(header: list[str], rows: list[list[str]], field: str, column: str, kind: str = "leads") -> str:
    from core.imports.recognise import _candidates

    con = duckdb.connect()
    table = profile_table(con, raw_table(con, header, rows))
    return next(c[5] for c in _candidates(kind, table, {}) if c[3] == field and c[4] == column)


# ---- order lines, totals and unit prices -----------------------------------------------------------------------


def test_an_orders_total_on_its_first_line_only_is_no_lines_amount():
    """Order lines with a quantity and a price on every line, and the order's `Total` on its first line
    only: the lines' amounts are quantity x price, so the order's total is not mapped as one (it would count the
    order and its first line twice)."""
    header = ["Order", "Date", "Customer Email", "Total", "Quantity", "Unit Price", "Product"]
    rows = [
        ["#1", "2024-03-01", "a@example.com", "57.00", "1", "21.00", "Mug"],
        ["#1", "2024-03-01", "a@example.com", "", "2", "18.00", "Sock"],
        ["#2", "2024-03-02", "b@example.com", "148.00", "1", "148.00", "Jacket"],
        ["#3", "2024-03-03", "c@example.com", "36.00", "2", "18.00", "Sock"],
        ["#4", "2024-03-04", "d@example.com", "190.00", "1", "148.00", "Jacket"],
        ["#4", "2024-03-04", "d@example.com", "", "2", "21.00", "Mug"],
    ]
    recognition = recognised(header, rows, "orders_export.csv")
    assert recognition.kind == "orders"
    assert (recognition.choices["quantity"].column, recognition.choices["unit_price"].column) == (
        "Quantity",
        "Unit Price",
    )
    assert "amount" not in recognition.choices
    whole = [r for r in rows if r[3]]  # one line per order: the total is the amount
    assert recognised(header, whole, "orders_export.csv").choices["amount"].column == "Total"


# ---- an id no header names as the kind's ---------------------------------------------------------------------


def test_an_acronym_id_is_the_rows_own_id_rather_than_a_made_up_one():
    """A lead file whose id is an acronym (`MBID`, `XUID`: unique) and no column named as the lead's id: the first
    such id is the key, not a made-up one; an id of another kind's (`LIST_CAMPAIGN_ID`) is not."""
    header = ["Email Address", "Company", "LIST_CAMPAIGN_ID", "OPTIN_TIME", "MBID", "XUID"]
    rows = [
        [
            f"p{n}@example.com",
            f"Co {n}",
            f"c{n:05x}aa",
            f"2024-02-{n + 10} 09:00:00",
            str(4840000 + 17 * n),
            f"{n:08x}ff",
        ]
        for n in range(8)
    ]
    recognition = recognised(header, rows, "members_export.csv")
    assert recognition.kind == "leads"
    assert recognition.choices["lead_id"].column == "MBID"
    assert recognition.surrogate is None


def test_a_total_that_adds_shipping_is_not_the_sale():
    """`Order Total` = `Subtotal` + `Delivery Charge` + `Sales Tax` on every row: the sale is the goods'
    part; a total without shipping (goods and tax only, as an invoice's) stays the amount."""
    header = ["Order No", "Order Date", "Customer", "Subtotal", "Delivery Charge", "Sales Tax", "Order Total"]
    goods, delivery = [35.5, 19.0, 49.0, 120.0, 64.25, 12.0], [4.95, 0.0, 4.95, 6.5, 4.95, 3.0]
    rows = [
        [str(500 + n), f"2024-05-{n + 1:02d}", f"Buyer {n}", f"{g:.2f}", f"{d:.2f}", f"{0.2 * g:.2f}",
         f"{g + d + round(0.2 * g, 2):.2f}"]
        for n, (g, d) in enumerate(zip(goods, delivery, strict=True))
    ]  # fmt: skip
    recognition = recognised(header, rows, "orders.csv")
    assert recognition.kind == "orders"
    assert recognition.choices["amount"].column == "Subtotal"
    assert "adds shipping and tax" in recognition.choices["amount"].reason
    invoice = [[r[0], r[1], r[2], r[3], r[5], f"{float(r[3]) + float(r[5]):.2f}"] for r in rows]
    header_invoice = ["Order No", "Order Date", "Customer", "Subtotal", "Sales Tax", "Order Total"]
    assert recognised(header_invoice, invoice, "orders.csv").choices["amount"].column == "Order Total"


def test_an_amount_that_is_a_price_per_seat_is_the_unit_price():
    """Subscriptions with a `Seats` count and an `Amount` of 15.00 or 12.00 a seat: 2 amounts for 6 amounts per
    seat, so the amount is the unit price (and the line's amount quantity x price). Line totals (amount / quantity
    gives back the 2 prices) stay the amount."""
    header = ["Subscription ID", "Customer ID", "Created", "Quantity", "Amount"]
    seats, price = [12, 40, 3, 25, 5, 7], [15, 12, 15, 15, 12, 15]
    rows = [[f"sub_{n:04d}", f"cus_{n:04d}", f"2024-01-{n + 4:02d}", str(q), f"{p:.2f}"] for n, (q, p) in
            enumerate(zip(seats, price, strict=True))]  # fmt: skip
    recognition = recognised(header, rows, "subscriptions.csv")
    assert recognition.kind == "orders"
    assert recognition.choices["unit_price"].column == "Amount"
    assert "amount" not in recognition.choices
    totals = [[*r[:4], f"{q * p:.2f}"] for r, q, p in zip(rows, seats, price, strict=True)]
    line_totals = recognised(header, totals, "subscriptions.csv")
    assert line_totals.choices["amount"].column == "Amount"
    assert "unit_price" not in line_totals.choices


def test_codes_whose_prefix_names_accounts_are_the_account_id():
    """A survey's custom field (`Extra Field 1`, a name that says nothing) holding `ACCT-…` codes: the prefix
    abbreviates `account`, so the column is the account's id (0.6); codes of no known prefix are not."""
    header = ["Response ID", "Submitted", "Extra Field 1", "How likely are you to recommend us?"]
    rows = [[str(9100 + n), f"2024-04-{n + 1:02d}", f"ACCT-{3300 + 7 * n}", str(n % 11)] for n in range(9)]
    recognition = recognised(header, rows, "survey.csv")
    assert recognition.kind == "nps"
    choice = recognition.choices["account_id"]
    assert (choice.column, choice.score) == ("Extra Field 1", 0.6)
    other = [[*r[:2], r[2].replace("ACCT", "ZQX"), r[3]] for r in rows]
    assert "account_id" not in recognised(header, other, "survey.csv").choices


def test_a_weighted_value_is_no_deal_amount():
    """A deal's `Weighted value` (German `Gewichteter Wert`) is its value times its chance of winning, a forecast:
    halved as money other than the deal's amount, so the plain `Value` is the amount, also when the file's name
    says nothing."""
    for value, weighted in (("Value", "Weighted value"), ("Wert", "Gewichteter Wert")):
        header = [
            "Deal - ID",
            "Deal - Title",
            "Deal - Stage",
            "Deal - Probability",
            f"Deal - {value}",
            f"Deal - {weighted}",
        ]
        amounts, chances = [18800, 40400, 3900, 12500, 27000], [25, 50, 75, 10, 60]
        rows = [[str(8100 + n), f"Deal {n}", "Negotiation", str(p), str(a), f"{a * p / 100:.0f}"]
                for n, (a, p) in enumerate(zip(amounts, chances, strict=True))]  # fmt: skip
        recognition = recognised(header, rows, "export (1).csv")
        assert recognition.kind == "opportunities"
        assert recognition.choices["amount"].column == f"Deal - {value}"


def test_activities_with_no_date_are_a_list_of_activity_types():
    """An activity happens at a time: a file of activity types (an `id`, a name and a description, no date) under
    a neutral name is no log of activities (its score halved), while the same rows with the time each happened are."""
    header = ["id", "name", "description", "primaryAttribute.dataType"]
    rows = [
        ["1", "Visit Webpage", "User visits a web page", "integer"],
        ["2", "Fill Out Form", "User fills out and submits form on web page", "integer"],
        ["6", "Send Email", "Send Marketo Email to a person", "integer"],
        ["7", "Email Delivered", "Marketo Email is delivered to a person", "integer"],
        ["10", "Open Email", "User opens Marketo Email", "integer"],
        ["11", "Click Email", "User clicks on a link in a Marketo Email", "integer"],
    ]
    assert recognised(header, rows, "export (1).csv").kind is None
    dated = [[*row, f"2024-05-{n + 3:02d} 10:{n:02d}:00"] for n, row in enumerate(rows)]
    assert recognised([*header, "activityDate"], dated, "export (1).csv").kind == "activities"


def test_a_column_of_time_off_types_makes_the_rows_time_off():
    """BambooHR's time-off requests under a neutral name: `Employee #` is unique on a few rows and reads as a
    roster's key, but `Time Off Type` says which kind of time off each row is, as `Time Off Requests.csv` would
    say: the rows are time off, none of the kinds (each kind's score halved)."""
    header = ["Employee #", "Name", "Time Off Type", "Start", "End", "Amount", "Units", "Status", "Requested On"]
    rows = [
        ["1022", "Keiko Tanaka", "Vacation", "02/19/2024", "02/23/2024", "40", "hours", "Approved", "01/29/2024"],
        ["1031", "Grace Okonkwo", "Sick", "02/06/2024", "02/06/2024", "8", "hours", "Approved", "02/06/2024"],
        ["1007", "Andre Baptiste", "Vacation", "03/11/2024", "03/15/2024", "40", "hours", "Denied", "02/20/2024"],
        ["1012", "Daniel Kowalski", "Bereavement", "03/04/2024", "03/05/2024", "16", "hours", "Approved", "03/01/2024"],
        ["1044", "Mina Sato", "Vacation", "04/01/2024", "04/05/2024", "40", "hours", "Requested", "03/12/2024"],
    ]
    recognition = recognised(header, rows, "export (1).csv")
    assert recognition.kind is None


def test_an_accounts_first_name_is_part_of_a_persons_name():
    """Recurly's accounts hold `account_first_name` and `account_last_name` (the billing contact's) beside
    `company`: without the kind's own word the header is `first name`, part of a person's name, so the account's
    name is the company."""
    header = ["id", "created_at", "account_first_name", "account_last_name", "company", "account_country"]
    people = [("Sofia", "Visser", "Granite Srl"), ("Lea", "Moreau", "Delta Foods"), ("Marco", "Costa", "Everest AG"),
              ("Ines", "Duarte", "Harbor & Pine"), ("Tomas", "Berg", "Lumen Labs")]  # fmt: skip
    rows = [[f"98547323{n}4729ba6c844d0348f88a8b5", f"2023-0{n + 1}-11T00:00:00Z", first, last, company, "DE"]
            for n, (first, last, company) in enumerate(people)]  # fmt: skip
    recognition = recognised(header, rows, "accounts.csv")
    assert recognition.kind == "accounts"
    assert recognition.choices["name"].column == "company"
