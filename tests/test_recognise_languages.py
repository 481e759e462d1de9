"""Exports written in other languages and scripts (Russian, Chinese, Japanese, Polish, Swedish, Turkish, ...): the
words a header stands for and the kind and fields recognised, each on a small frame written here."""

from __future__ import annotations

import json

import duckdb

from core.__main__ import main
from core.imports.casting import boolean_sql, date_column, decide_decimal, number_sql
from core.imports.mapping import classify_value
from core.imports.names import phrase
from core.imports.profile import profile_table
from tests.rawtables import raw_table, recognised


def _columns(recognition) -> dict[str, str]:
    return {name: choice.column for name, choice in recognition.choices.items()}


# ---- header words in other scripts -----------------------------------------------------------------------------


def test_cyrillic_headers_are_words_not_blanks():
    """A Russian header once lost every letter (only ASCII was kept)."""
    assert phrase("Дата создания") == "date created"
    assert phrase("Ответственный") == "owner"
    assert phrase("Стадия сделки") == "stage deal"


def test_chinese_and_japanese_runs_are_cut_into_their_words():
    """No spaces between words: a run is read as the known words it is made of, longest first."""
    assert phrase("线索来源") == "lead source"
    assert phrase("最后跟进时间") == "last activity time"
    assert phrase("入社年月日") == "hire date"
    assert phrase("借方金額(円)") == "debit amount"  # the yen sign in brackets is only the unit


def test_latin_letters_without_a_decomposed_form_keep_their_base_letter():
    """Polish `ł`, Turkish dotless `ı`: `Założył` and `Açıklama` were `zaozy` and `acklama`."""
    assert phrase("Kto Założył") == "created"
    assert phrase("Açıklama") == "description"
    assert phrase("Total exkl moms") == "total net"  # Swedish: the total without VAT


def test_a_russian_lead_list_is_recognised_as_leads_with_its_fields():
    header = ["ID", "Название компании", "Должность", "Стадия", "Источник", "Ответственный", "Дата создания"]
    rows = [
        ["101", "ООО «Вектор»", "Директор", "Качественный лид", "Веб-сайт", "Иван Смирнов", "03.02.2025 10:15:00"],
        ["102", "АО «Север»", "Менеджер", "В работе", "Звонок", "Мария Волкова", "04.02.2025 09:40:00"],
        ["103", "ООО «Парк»", "Директор", "Не обработан", "Выставка", "Иван Смирнов", "05.02.2025 14:05:00"],
        ["104", "ИП Попов", "Владелец", "Некачественный лид", "Реклама", "Мария Волкова", "06.02.2025 16:30:00"],
    ]
    recognition = recognised(header, rows, "Лиды.csv")
    assert recognition.kind == "leads"
    assert _columns(recognition) == {
        "lead_id": "ID", "company": "Название компании", "title": "Должность", "status": "Стадия",
        "source": "Источник", "owner": "Ответственный", "created_at": "Дата создания",
    }  # fmt: skip


# ---- values in other languages ---------------------------------------------------------------------------------


def test_yes_and_no_in_other_languages_are_booleans():
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM (VALUES ('Да'), ('Нет'), ('Tak'), ('Nie'), ('Evet'), ('Hayır'), ('是'), "
                "('否'), ('Ja'), ('Nej'), ('Oui'), ('Non')) v(b)")  # fmt: skip
    got = [row[0] for row in con.execute(f"SELECT {boolean_sql('b')} FROM t").fetchall()]
    assert got == [True, False] * 6


def test_a_boolean_column_in_russian_is_profiled_as_one():
    con = duckdb.connect()
    rows = [["501", "Да"], ["502", "Нет"], ["503", "Да"], ["504", "Нет"]]
    table = profile_table(con, raw_table(con, ["ID", "Сделка закрыта"], rows, source="Сделки.csv"))
    assert table.column("Сделка закрыта").is_boolean


def test_won_and_lost_stages_and_a_converted_lead_in_other_languages():
    assert classify_value("opportunities", "outcome", "Сделка успешна") == "won"
    assert classify_value("opportunities", "outcome", "Сделка провалена") == "lost"
    assert classify_value("opportunities", "outcome", "赢单") == "won"
    assert classify_value("opportunities", "outcome", "输单") == "lost"
    assert classify_value("opportunities", "outcome", "方案/报价") == "open"
    assert classify_value("leads", "status_class", "Качественный лид") == "converted"
    assert classify_value("leads", "status_class", "Некачественный лид") == "disqualified"


def test_a_date_written_with_year_month_and_day_signs_is_a_date():
    """Japanese and Chinese exports write `2015年4月1日`."""
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM (VALUES ('2015年4月1日'), ('2022年7月15日')) v(d)")
    read = date_column(con, "t", "d", '"d"')
    got = con.execute(f"SELECT strftime({read.sql}, '%Y-%m-%d') FROM t").fetchall()
    assert [row[0] for row in got] == ["2015-04-01", "2022-07-15"]
    table = profile_table(
        con, raw_table(con, ["社員番号", "入社年月日"], [["1001", "2015年4月1日"], ["1002", "2022年7月15日"]])
    )
    assert table.column("入社年月日").is_date


# ---- what a file is --------------------------------------------------------------------------------------------


def test_invoices_naming_their_supplier_and_no_customer_are_spend():
    """Fortnox's supplier invoices (`Leverantörsfakturor`): an invoice number and date, but from a supplier."""
    header = ["Fakturadatum", "Förfallodatum", "Fakturanummer", "Leverantör", "Beskrivning", "Belopp exkl. moms"]
    rows = [
        ["2025-01-05", "2025-02-04", "G-88121", "Google Ireland Ltd", "Google Ads december", "18 400,00"],
        ["2025-01-12", "2025-02-11", "2025-017", "Mässfabriken AB", "Monter Nordbygg", "64 000,00"],
        ["2025-01-31", "2025-02-28", "LI-5530", "LinkedIn Ireland", "LinkedIn-annonser januari", "9 600,00"],
        ["2025-02-10", "2025-03-12", "7781", "Tryckeriet i Malmö AB", "Broschyrer 2 000 st", "7 040,00"],
    ]
    recognition = recognised(header, rows, "Leverantorsfakturor.csv")
    assert recognition.kind == "spend"
    assert _columns(recognition)["amount"] == "Belopp exkl. moms"
    assert _columns(recognition)["period"] == "Fakturadatum"


def test_amounts_written_the_local_way_read_as_numbers():
    """Thousands grouped by spaces (`8 215,20`, also with the no-break spaces spreadsheets write) were read as
    821520; local currency signs (`R$`, `zł`, `₺`, `TL`, `₽`, `₹`) made a value no number at all."""
    values = {"8 215,20": 8215.2, "8\u00a0215,20": 8215.2, "8\u202f215,20": 8215.2, "R$ 1.234,56": 1234.56,
              "1.234,56 zł": 1234.56, "₺12.500,00": 12500.0, "12.500,00 TL": 12500.0, "1 234,56 ₽": 1234.56}  # fmt: skip
    con = duckdb.connect()
    for value, number in values.items():
        decimal = decide_decimal([value])
        read = con.execute(f"SELECT {number_sql('v', decimal)} FROM (SELECT ?::VARCHAR AS v)", [value]).fetchone()[0]
        assert (value, decimal, read) == (value, ",", number)
    read = con.execute(f"SELECT {number_sql('v', '.')} FROM (SELECT '₹1,23,456.00' AS v)").fetchone()[0]
    assert read == 123456.0
    rows = [["1001", "48 000,00"], ["1002", "8\u00a0215,20"], ["1003", "0,00"]]
    column = profile_table(con, raw_table(con, ["Fakturanummer", "Total exkl moms"], rows)).column("Total exkl moms")
    assert column.is_number and (column.low, column.high) == (0.0, 48000.0)


def test_dates_written_with_dots_are_day_first_even_when_no_day_is_above_12():
    """`03.02.2025` (Bitrix24, DATEV, 1C) is the 3rd of February: no convention writes the month first with dots.
    It was read as the 2nd of March when every day of the file was 12 or less."""
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM (VALUES ('03.02.2025 10:15:00'), ('06.02.2025 16:30:00')) v(d)")
    read = date_column(con, "t", "d", '"d"')
    got = con.execute(f"SELECT strftime({read.sql}, '%Y-%m-%d') FROM t").fetchall()
    assert [row[0] for row in got] == ["2025-02-03", "2025-02-06"]
    assert read.note is None  # nothing left to doubt


LEADS_RU = """ID;Название компании;Стадия;Источник;Ответственный;Дата создания
1;ООО «Вектор»;Качественный лид;Веб-сайт;Иван Смирнов;03.02.2025 10:15:00
2;АО «Север»;Качественный лид;Звонок;Мария Волкова;04.02.2025 09:40:00
3;ООО «Парк»;Качественный лид;Выставка;Иван Смирнов;05.02.2025 14:05:00
4;ИП Попов;Некачественный лид;Реклама;Мария Волкова;06.02.2025 16:30:00
"""
DEALS_RU = """ID;Название;Стадия сделки;Сумма;Валюта;Ответственный;Дата начала;Дата завершения;Сделка закрыта;Лид
501;Поставка;Сделка успешна;150\u00a0000,00;RUB;Иван Смирнов;10.02.2025;28.02.2025;Да;1
502;Контракт;Сделка успешна;320\u00a0000,00;RUB;Мария Волкова;12.02.2025;14.03.2025;Да;2
503;Пилот;Сделка провалена;90\u00a0000,00;RUB;Иван Смирнов;17.02.2025;07.03.2025;Да;3
"""


def test_a_russian_crm_upload_gives_its_funnel_end_to_end(tmp_path, capsys):
    """Bitrix24's Russian UI: 4 leads, 3 converted (Качественный лид) and 1 junk; their 3 deals, 2 won and 1 lost.
    Won: 2 of 4 leads, 2 of 3 closed deals; time to close from the lead's creation: 25 and 38 days."""
    (tmp_path / "Лиды.csv").write_text(LEADS_RU, encoding="utf-8")
    (tmp_path / "Сделки.csv").write_text(DEALS_RU, encoding="utf-8")
    assert main(["metrics", str(tmp_path), "--json"]) == 0
    by_id = {item["id"]: item for item in json.loads(capsys.readouterr().out)["metrics"]}
    assert by_id["qualified_leads"]["value"] == 3
    assert by_id["close_ratio"]["details"]["lead_to_customer_rate"] == 0.5
    assert by_id["close_ratio"]["details"]["win_rate_closed_deals"] == 2 / 3
    assert by_id["time_to_close"]["value"] == 31.5
    assert by_id["lead_leakage_rate"]["value"] == 0.5  # the junk lead and the lost deal's lead


def test_a_status_value_is_no_amount_and_a_total_of_products_names_no_product():
    """Bling's orders (API v3, flattened): `situacao.valor` is the status's code and `totalProdutos` the products'
    subtotal; the amount is `total`."""
    header = ["numero", "data", "totalProdutos", "total", "contato.nome", "situacao.valor"]
    rows = [
        ["1501", "2025-03-03", "1189.90", "1219.80", "Padaria Pão Quente Ltda", "1"],
        ["1502", "2025-03-05", "349.50", "369.40", "Mariana Costa", "1"],
        ["1503", "2025-03-07", "2450.00", "2450.00", "Mercadinho Bom Preço ME", "0"],
        ["1504", "2025-03-10", "89.90", "109.80", "Mariana Costa", "1"],
        ["1505", "2025-03-12", "5120.00", "5120.00", "Construtora Horizonte S.A.", "2"],
    ]
    columns = _columns(recognised(header, rows, "pedidos_vendas.csv", "orders"))
    assert columns["amount"] == "total"
    assert "product" not in columns


def test_a_currency_written_as_local_software_writes_it_is_a_currency(tmp_path, capsys):
    """Paraşüt writes the Turkish lira as TRL (its code before 2005), other systems RUR, RMB, `zł` or `руб.`:
    a column of them is the currency, loaded as the ISO code rates know (TRY)."""
    (tmp_path / "Satis_Faturalari.csv").write_text(
        "Fatura No;Düzenleme Tarihi;Müşteri;Genel Toplam;Döviz\n"
        "GIB2025000000101;06.01.2025;Anadolu Yazılım A.Ş.;144.000,00;TRL\n"
        "GIB2025000000102;14.01.2025;Ege Gıda Ltd. Şti.;22.200,00;TRL\n"
        "GIB2025000000105;17.02.2025;Berlin Handels GmbH;3.200,00;EUR\n",
        encoding="utf-8",
    )
    assert main(["inspect", str(tmp_path), "--json"]) == 0
    (report,) = json.loads(capsys.readouterr().out)["files"]
    assert report["mapping"]["currency"] == "Döviz"
    assert report["totals"]["money"]["amount"] == {"TRY": 166200, "EUR": 3200}


def test_a_numbered_dated_document_without_money_or_quantity_is_no_order():
    """Comarch ERP Optima's CRM contacts: a document number, a customer code and a date, but no amount, price or
    quantity, and no name saying orders: not sales (they were read as orders)."""
    header = ["Numer Dokumentu", "Opiekun", "Temat", "Kontrahent", "Data Założenia Dokumentu", "Czy Zadanie?"]
    rows = [
        ["KONT/1/2025", "ANOWAK", "Prezentacja oferty", "ALFA-BUD", "2025-01-08 09:12:44.000", "Nie"],
        ["KONT/2/2025", "PKOWAL", "Rozmowa telefoniczna", "MEGA-TRANS", "2025-01-10 13:40:02.000", "Nie"],
        ["KONT/3/2025", "ANOWAK", "Wysłać ofertę", "ALFA-BUD", "2025-01-13 08:05:31.000", "Tak"],
        ["KONT/4/2025", "MWISNIEWSKA", "Negocjacje", "POL-MED", "2025-01-20 11:22:10.000", "Nie"],
    ]
    recognition = recognised(header, rows, "kontakty_crm.csv")
    assert recognition.kind == "activities"
    assert _columns(recognition) == {"occurred_at": "Data Założenia Dokumentu", "owner": "Opiekun", "subject": "Temat"}
