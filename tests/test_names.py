"""Header words (core.imports.names): real spellings of export headers become the English words they stand for,
and `similarity` weighs a header's words against a known phrase. Every expected value is worked out by hand."""

from __future__ import annotations

import pytest

from core.imports.names import phrase, similarity, words


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        # camelCase / PascalCase API names (Salesforce, HubSpot internal names)
        ("CreatedDate", ("created", "date")),
        ("ConvertedOpportunityId", ("converted", "opportunity", "id")),
        ("NumberOfEmployees", ("number", "employees")),  # `of` is a stop word
        ("LeadSource", ("lead", "source")),
        ("IsConverted", ("converted",)),  # `is` is a stop word
        ("InvoiceDate", ("invoice", "date")),
        ("CustomerID", ("customer", "id")),
        ("StockCode", ("stock", "code")),
        # snake, kebab, dots, #, %, a byte-order mark
        ("created_date", ("created", "date")),
        ("close-date", ("close", "date")),
        ("first_contact_date", ("first", "contact", "date")),
        ("Invoice #", ("invoice", "number")),
        ("Employee #", ("employee", "number")),
        ("Probability (%)", ("probability", "percent")),
        ("\ufeffId", ("id",)),
        # vendor affixes: Salesforce custom suffixes, HubSpot prefixes, Pipedrive and report-object prefixes
        ("Revenue__c", ("revenue",)),
        ("Lead_Score__c", ("lead", "score")),
        ("hs_object_id", ("object", "id")),
        ("hs_lifecyclestage_mql_date", ("lifecycle", "stage", "marketing", "qualified", "lead", "date")),
        ("Deal - Won time", ("won", "time")),
        ("Deal – Stage", ("stage",)),  # an en dash
        ("Opportunity.CloseDate", ("close", "date")),
        ("Opportunity.Amount", ("amount",)),
        ("Properties: Lead Status", ("lead", "status")),
        # run-together words whose ending is known
        ("closedate", ("close", "date")),
        ("leadsource", ("lead", "source")),
        # abbreviations spelled out
        ("Qty", ("quantity",)),
        ("Amt", ("amount",)),
        ("Invoice No", ("invoice", "number")),
        ("Cust #", ("customer", "number")),
        ("MQL date", ("marketing", "qualified", "lead", "date")),
        ("mql_id", ("marketing", "qualified", "lead", "id")),
        ("Opp Owner", ("opportunity", "owner")),
        ("FTE", ("fte",)),
        # Spanish, Portuguese, French: words put in English, in the header's own order
        ("Fecha de creación", ("date", "created")),
        ("Data de criação", ("date", "created")),
        ("Date de création", ("date", "created")),
        ("Fecha de cierre", ("date", "close")),
        ("Data de fechamento", ("date", "close")),
        ("Nombre de la empresa", ("name", "company")),
        ("Montant", ("amount",)),
        # German, compounds included (a joining s dropped: Eintritts|datum)
        ("Erstellungsdatum", ("created", "date")),
        ("Abschlussdatum", ("close", "date")),
        ("Eintrittsdatum", ("hire", "date")),
        ("Umsatzbetrag", ("revenue", "amount")),
        ("Auftragswert", ("order", "value")),
        ("Betrag", ("amount",)),
        ("Wert", ("value",)),
        ("Kunden-Nr.", ("customer", "number")),
        ("Kampagnentyp", ("campaign", "type")),  # a joining n dropped: Kampagnen|typ
        ("Sachkonto", ("account",)),
        ("Kostenstelle", ("cost", "center")),
        ("Lebenszyklusphase", ("lifecycle", "stage")),
        ("Kontaktinhaber", ("contact", "owner")),
        ("Originalquelle", ("original", "source")),
        ("Firmenname", ("company", "name")),  # Firmen, the plural, is a company too
        ("Personalnummer", ("employee", "number")),
        ("Nettobetrag", ("net", "amount")),
        ("Lead-Status", ("lead", "status")),  # a hyphen without spaces joins words; `Lead - Status` is a prefix
        ("Lead - Status", ("status",)),
        # `no` inside a header is a preposition (Portuguese `in the`), at its ends a number
        ("Estágio no funil", ("stage", "funnel")),
        ("No. of Employees", ("number", "employees")),
        # run-together words spelled by known words (all caps in old ERP exports)
        ("QUANTITYORDERED", ("quantity", "ordered")),
        ("PRICEEACH", ("price", "each")),
        ("ORDERLINENUMBER", ("order", "line", "number")),
        ("numberofseats", ("number", "seats")),  # `of` is a stop word once split off
        ("QTYORDERED", ("quantity", "ordered")),  # an abbreviation is a known word
        ("Montantdevise", ("amount", "currency")),
        ("address", ("address",)),  # no run of known words: stays whole
        ("convertedaccountid", ("converted", "account", "id")),  # a known run-together word split again
        ("CALLDISPOSITION", ("call", "disposition")),
        ("Schlusstermin", ("close", "date")),  # a Termin is a date
        ("ID de la piste", ("id", "lead")),  # Salesforce in French calls a lead a piste
        # Italian and Dutch
        ("Data di creazione", ("date", "created")),  # `di` says nothing
        ("Prezzo unitario", ("price", "unit")),
        ("Sluitingsdatum", ("close", "date")),
        ("Personeelsnummer", ("employee", "number")),
        ("Datum van indiensttreding", ("date", "hire")),
        ("Verwachte sluitingsdatum", ("expected", "close", "date")),  # Odoo in Dutch
        ("Kans", ("probability",)),  # a chance: Odoo's probability (a deal is a verkoopkans)
        ("Verwachte omzet", ("expected", "revenue")),
        ("Utente Assegnato", ("user", "assigned")),  # SuiteCRM in Italian
        ("Data di vendita", ("date", "sale")),
        ("Ora ultima attività", ("time", "last", "activity")),  # Zoho in Italian
        ("ID du répondant", ("id", "respondent")),  # SurveyMonkey in French
        # due dates, assignees, addresses and subjects; Dutch employment and a Brazilian invoice
        ("Correo electrónico", ("email",)),  # `electronic` says nothing more
        ("Fälligkeitsdatum", ("due", "date")),
        ("Asignado a", ("assigned",)),
        ("Toegewezen aan", ("assigned",)),
        ("Assigned To", ("assigned",)),  # `to` says nothing: `Assigned` is the same
        ("Datum in dienst", ("date", "hire")),
        ("Datum uit dienst", ("date", "termination")),
        ("Número da nota fiscal", ("number", "invoice")),
        ("Nota", ("score",)),  # a Portuguese survey's 0-10 answer
        ("Oggetto", ("subject",)),
        ("Jaaromzet", ("annual", "revenue")),
        # Dataverse's lookup columns name the record they hold the id of
        ("_ownerid_value", ("owner", "id")),
        ("_customerid_value", ("customer", "id")),
        # units and abbreviations of API names
        ("chancesOfSuccessPrc", ("chance", "success", "percent")),  # Business Central: Prc is percent
        ("CallDurationInSeconds", ("call", "duration", "seconds")),
        # several words for one idea: the Spanish lead, the French turnover and legal unit
        ("(No modificar) Cliente potencial", ("lead",)),
        ("Origen del cliente potencial", ("source", "lead")),
        ("Chiffre d'affaires annuel", ("revenue", "annual")),
        ("denominationUniteLegale", ("name", "company")),
        ("Raison sociale", ("company", "name")),
        # ledgers: debit and credit, entries and their descriptions
        ("Debe", ("debit",)),
        ("Haber", ("credit",)),
        ("EcritureLib", ("entry", "description")),
        ("CompteNum", ("account", "number")),
        ("Ano e mês do lançamento", ("year", "month", "entry")),  # `do` and `e` say nothing
        # first and last, start and end, reasons
        ("Date de la dernière activité", ("date", "last", "activity")),
        ("Date de début", ("date", "start")),
        ("Date de départ", ("date", "departure")),
        ("Razón para el estado", ("reason", "status")),  # `para` says nothing
        ("Prénom", ("first", "name")),
        # ordinary words that end like a compound's ending stay whole
        ("candidate", ("candidate",)),  # not candi|date
        ("Candidate Name", ("candidate", "name")),
        ("update", ("update",)),  # not up|date
        ("Last Update", ("last", "update")),
        ("valid", ("valid",)),  # not val|id
        ("Valid From", ("valid", "from")),
        ("updated", ("updated",)),
        # unknown words are kept as they are
        ("declared_product_catalog_size", ("declared", "product", "catalog", "size")),
        ("business_segment", ("business", "segment")),
    ],
)
def test_words(header, expected):
    assert words(header) == expected


def test_phrase_joins_the_words():
    assert phrase("Opportunity.CloseDate") == "close date"
    assert phrase("Fecha de creación") == "date created"
    assert phrase("") == ""


def test_german_e_mail_still_says_email():
    # `E-Mail` is how German exports spell it; whatever its words, it must still say `email`.
    assert similarity(phrase("E-Mail"), "email") >= 0.86


def test_e_mail_is_email():
    assert words("E-Mail") == ("email",)
    assert words("e-mail address") == ("email", "address")


# ---- similarity ----------------------------------------------------------------------------------------------


def test_equal_word_sets_score_one_whatever_the_order():
    assert similarity("created date", "created date") == 1.0
    assert similarity("date created", "created date") == 1.0  # `Fecha de creación` is `Created Date`
    assert similarity(phrase("Data de criação"), phrase("CreatedDate")) == 1.0


def test_a_header_holding_the_phrase_scores_by_coverage():
    # 0.75 + 0.2 × (phrase words / header words)
    assert similarity("lead source type", "lead source") == pytest.approx(0.75 + 0.2 * 2 / 3)
    assert similarity("original lead source type", "lead source") == pytest.approx(0.75 + 0.2 * 2 / 4)
    assert similarity("deal amount", "amount") == pytest.approx(0.75 + 0.2 * 1 / 2)
    # more of the header covered, a higher score; never up to an exact match
    assert similarity("lead source type", "lead source") > similarity("original lead source type", "lead source")
    assert similarity("lead source type", "lead source") < 1.0


def test_a_header_saying_less_than_the_phrase_scores_nothing():
    assert similarity("id", "account id") == 0.0  # `Id` is not `Account ID`
    assert similarity(phrase("Id"), phrase("Account ID")) == 0.0
    assert similarity("account", "account id") == 0.0  # fuzzy 14/17 ≈ 0.82, under 0.86
    assert similarity("date", "close date") == 0.0


def test_a_header_saying_less_counts_only_as_a_near_spelling():
    # `opportunity` / `opportunity id`: token_sort_ratio 2×11/25 = 0.88, at least 0.86
    assert similarity("opportunity", "opportunity id") == pytest.approx(0.88)


def test_a_misspelling_still_matches():
    # `recieved` / `received`: one transposition, 2 edits in 26 characters → 24/26
    assert similarity("recieved date", "received date") == pytest.approx(12 / 13)
    assert similarity(phrase("RFP Recieved Date"), "rfp received date") == pytest.approx(1 - 2 / 34)
    assert similarity("recieved date", "received date") > 0.86


def test_a_different_word_that_looks_alike_is_no_misspelling():
    # `detail` / `deal`: 2 x 4 / 10 = 0.80, under 0.85 as a word, though the headers' token_sort_ratio is
    # 2 x 7 / 16 = 0.875: Salesforce's `DetailId` (a voice call's record) is no `Deal ID`
    assert similarity("detail id", "deal id") == 0.0
    assert similarity("recieved date", "received date") > 0.86  # a near spelling still is one


def test_unrelated_and_empty_score_nothing():
    assert similarity("", "") == 0.0
    assert similarity("amount", "") == 0.0
    assert similarity("", "amount") == 0.0
    assert similarity("stock code", "close date") == 0.0
    assert similarity("candidate", "date") == 0.0
