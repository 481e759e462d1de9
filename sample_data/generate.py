"""Generate the sample company, Brightline Systems: three years of exports in the shapes real systems write.

Brightline is a fictional US mid-market B2B vendor of logistics software and hardware appliances. The files
imitate HubSpot, Salesforce reports, an ERP, a NetSuite saved search, BambooHR and Delighted, each with that
system's headers, date and number formats, so the sample exercises column mapping and parsing. The story figures
it is tuned to are listed in sample_data/README.md and checked by tests/test_sample_data.py.

Deterministic (fixed seed): running it again rewrites byte-identical files. Usage:

    python sample_data/generate.py [OUTPUT_DIR] [--leads N] [--part K]

`--leads` scales the company (accounts, deals, activities, orders, survey answers and revenue in proportion to
the leads; staff and the ledger stay as they are), for benchmarks at real sizes. `--part` numbers ids and names
from a later block, so parts generated with different K can be concatenated into one larger export.
"""

from __future__ import annotations

import argparse
import csv
import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np

SEED = 20261101
START, END = date(2023, 11, 1), date(2026, 10, 31)
AS_OF = datetime.combine(END, time(23, 59))  # the moment the exports were taken
DAYS = (END - START).days + 1
LTM_START = date(2025, 11, 1)  # the last twelve months, which the headline figures describe

# Tuning targets for the last twelve months (see README.md for the resulting figures).
REVENUE_LTM = 61_500_000
LEAD_COUNT = 40_000
ACCOUNT_COUNT = 2_500
HIDDEN_ACCOUNTS = 15  # referenced by deals but missing from the accounts export (a data-quality finding)
INSTALLED_BASE = 900  # customers before the three years began
NPS_RESPONSES = 2_000
PART_STRIDE = 10_000_000  # id numbers reserved per part: more than a part of a million leads ever numbers
QUALIFY_RATE = 0.31
WIN_RATE = 0.22

SALESFORCE_FOOTER = [
    [""],
    ["Confidential Information - Do Not Distribute"],
    ["Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."],
]
INDUSTRIES = ["Manufacturing", "Logistics", "Healthcare", "Financial Services", "Retail", "Technology", "Energy"]
INDUSTRY_WIN = {"Logistics": 1.4, "Manufacturing": 1.2, "Retail": 0.75, "Financial Services": 0.85}
REGIONS = {"North America": ["United States", "United States", "United States", "Canada"], "EMEA": ["United Kingdom"]}
# source: (share of leads, qualification multiplier, win multiplier, campaigns)
SOURCES = {
    "Organic Search": (0.22, 1.0, 1.0, ["SEO - ROI guide", "SEO - comparison pages"]),
    "Paid Search": (0.20, 0.9, 0.9, ["Google Ads - brand", "Google Ads - category"]),
    "Paid Social": (0.16, 0.5, 0.6, ["LinkedIn - demo offer", "LinkedIn - ebook"]),
    "Email Marketing": (0.12, 1.0, 1.0, ["Nurture - quarterly newsletter", "Nurture - webinar invite"]),
    "Referrals": (0.06, 1.7, 1.6, ["Customer referral program"]),
    "Events": (0.12, 1.5, 1.4, ["Trade show - MODEX", "Field event - executive dinner"]),
    "Direct Traffic": (0.08, 1.1, 1.0, ["Website - contact us"]),
    "Offline Sources": (0.04, 0.8, 0.9, ["Partner list import"]),
}
# name, code, family, gross margin, launch date, list price, weight in new deals, weight in reorders
PRODUCTS = [
    ("Insight Cloud", "IC-100", "Software", 0.82, date(2019, 3, 1), 24000, 5, 6),
    ("Insight Cloud Analytics", "IC-200", "Software", 0.78, date(2025, 2, 1), 18000, 2, 1),
    ("Fleet Tracker", "FT-300", "Software", 0.74, date(2020, 6, 1), 15000, 3, 3),
    ("Route Optimizer", "RO-310", "Software", 0.80, date(2024, 9, 1), 21000, 2, 1),
    ("Data Connectors", "DC-900", "Software", 0.85, date(2026, 1, 15), 8000, 1, 0.5),
    ("Edge Gateway G2", "EG-520", "Hardware", 0.24, date(2018, 1, 15), 9000, 3, 3),
    ("Edge Gateway G3", "EG-530", "Hardware", 0.28, date(2025, 6, 1), 11000, 2, 1),
    ("Sensor Pack", "SP-600", "Hardware", 0.21, date(2017, 5, 1), 400, 2, 3),
    ("Dock Scanner", "DS-610", "Hardware", 0.19, date(2021, 4, 1), 1300, 1.5, 2),
    ("Implementation Services", "PS-700", "Services", 0.35, date(2016, 1, 1), 12000, 0, 0),
    ("Training Package", "PS-710", "Services", 0.45, date(2016, 1, 1), 3000, 1, 1),
    ("Premium Support", "SU-800", "Support", 0.66, date(2016, 1, 1), 6000, 1.5, 4),
]
MISSPELLED = {"Insight Cloud": "InsightCloud"}  # the ERP item typed two ways (a data-quality finding)
STAGES = ["Prospecting", "Qualification", "Needs Analysis", "Proposal/Price Quote", "Negotiation/Review"]
STAGE_PROBABILITY = {
    "Prospecting": 10,
    "Qualification": 20,
    "Needs Analysis": 40,
    "Proposal/Price Quote": 60,
    "Negotiation/Review": 80,
    "Closed Won": 100,
    "Closed Lost": 0,
}
ASSETS = ["ROI calculator", "Case study: logistics", "Case study: manufacturing", "Security whitepaper",
          "Product demo video", "Pricing guide"]  # fmt: skip


def words(text: str) -> list[str]:
    return text.split()


FIRST = words("Alex Sam Jordan Taylor Morgan Casey Riley Jamie Avery Quinn Drew Kim Maria James Wei Priya Omar Lena "
              "Carlos Hannah Noah Grace Ethan Chloe Lucas Aisha Mateo Sofia Daniel Emma Ravi Yuki Tom Nina Ben Olivia "
              "Victor Zoe Marcus Ines")  # fmt: skip
LAST = words("Nguyen Smith Garcia Müller Okafor Rossi Kowalski Silva Patel Brown Dubois Johnson Lee Martin Chen Walker "
             "Hughes Kim Novak Santos Fischer Murphy Cohen Ali Reyes Schmidt Larsen Moreau Tanaka Clarke Singh Baker "
             "Price Evans Ward Costa Bianchi Jensen Ortiz Hayes")  # fmt: skip
NAME_START = words("Apex Blue Cedar Delta Eagle Harbor Iron Nova Summit Granite Pioneer Atlas Keystone Meridian Northway "
                   "Redwood Silverline Tristar Union Vantage Westfield Beacon Crescent Evergreen Frontier Horizon Lakeside "
                   "Liberty Oakridge Pinnacle Prairie Riverbend Sterling Tidewater Coastal Canyon Highland Ironclad "
                   "Maple Cobalt")  # fmt: skip
NAME_END = words("Freight Foods Health Metals Energy Retail Labs Motors Logistics Distribution Manufacturing Supply "
                 "Packaging Brands Pharma Plastics Components Transport Warehousing")  # fmt: skip
LEAD_TITLES = ["VP Operations", "Head of Logistics", "IT Director", "CFO", "Analyst", "COO", "Warehouse Manager",
               "Supply Chain Director"]  # fmt: skip
NAME_SUFFIX = ["Inc.", "LLC", "Corp.", "Group", "Co."]


def salesforce_id(prefix: str, number: int) -> str:
    """An 18-character Salesforce-style id: a 15-character base-62 id plus its case-checksum suffix."""
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    body = ""
    for _ in range(6):
        number, rest = divmod(number, 62)
        body = digits[rest] + body
    short = f"{prefix}5g0000{body}"
    checksum = ""
    for chunk in range(3):
        bits = sum(1 << i for i, char in enumerate(short[chunk * 5 : chunk * 5 + 5]) if char.isupper())
        checksum += "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"[bits]
    return short + checksum


def month_starts() -> list[date]:
    months, month = [], START
    while month <= END:
        months.append(month)
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return months


class Company:
    """Builds the whole company in memory: people, accounts, funnel, deals, orders, spend and survey."""

    def __init__(self, seed: int = SEED, leads: int = LEAD_COUNT, part: int = 0):
        self.rng = np.random.default_rng(seed)
        self.scale = leads / LEAD_COUNT
        self.lead_count, self.part, self.first = leads, part, part * PART_STRIDE
        self.account_count = round(ACCOUNT_COUNT * self.scale)
        self.hidden_accounts = round(HIDDEN_ACCOUNTS * self.scale)
        self.installed_base = round(INSTALLED_BASE * self.scale)
        self.cdfs: dict[tuple, np.ndarray] = {}
        day_index = np.arange(DAYS)
        months = np.array([(START + timedelta(days=int(d))).month for d in day_index])
        seasonal = 1 + 0.25 * np.isin(months, [3, 4, 9, 10]) - 0.3 * np.isin(months, [7, 8, 12])
        weekday = np.array([0.35 if (START + timedelta(days=int(d))).weekday() >= 5 else 1.0 for d in day_index])
        weights = (1 + day_index / DAYS * 0.7) * seasonal * weekday
        self.day_weights = weights / weights.sum()
        self.day_cdf = self.cdf(self.day_weights)

    # ---- small helpers -------------------------------------------------------------------------------
    @staticmethod
    def cdf(p) -> np.ndarray:
        cdf = np.asarray(p, dtype=float).cumsum()
        cdf /= cdf[-1]
        return cdf

    def choice(self, n: int, p=None) -> int:
        """`rng.choice(n, p=p)` with the same draws from the same stream, without its per-call validation (which
        made generating a million leads take minutes)."""
        if p is None:
            return int(self.rng.integers(0, n))
        key = tuple(p)
        if key not in self.cdfs:
            self.cdfs[key] = self.cdf(p)
        return int(self.cdfs[key].searchsorted(self.rng.random(), side="right"))

    def pick(self, options, p=None):
        return options[self.choice(len(options), p)]

    def person(self) -> tuple[str, str]:
        return self.pick(FIRST), self.pick(LAST)

    def moment(self) -> datetime:
        """A working-hours moment, more likely later in the three years and in the busy seasons."""
        day = START + timedelta(days=int(self.day_cdf.searchsorted(self.rng.random(), side="right")))
        return datetime.combine(day, time(7)) + timedelta(minutes=int(self.rng.integers(0, 11 * 60)))

    def product_on(self, day: date, weight_column: int) -> tuple:
        """A product already launched on `day`, by its weight in new deals (6) or in reorders (7)."""
        weights = np.array([p[weight_column] if p[4] <= day else 0 for p in PRODUCTS], dtype=float)
        return PRODUCTS[int(self.rng.choice(len(PRODUCTS), p=weights / weights.sum()))]

    def after(self, moment: datetime, mean_days: float) -> datetime:
        """A moment a gamma-distributed number of days later, rounded to the minute."""
        return (moment + timedelta(days=float(self.rng.gamma(2, mean_days / 2)))).replace(second=0, microsecond=0)

    # ---- the company ---------------------------------------------------------------------------------
    def build(self) -> dict:
        roster = self.make_roster()
        self.sellers = [r for r in roster if r["title"].endswith("Account Executive")]
        self.sdrs = [r for r in roster if "Development Representative" in r["title"]]
        self.accounts = self.make_accounts()
        leads = self.make_leads()
        opportunities, history = self.make_opportunities(leads)
        orders = self.make_orders(opportunities)
        self.mark_customers(orders)
        return {
            "accounts": self.accounts,
            "leads": leads,
            "opportunities": opportunities,
            "history": history,
            "activities": self.make_activities(leads, opportunities),
            "orders": orders,
            "spend": self.make_spend(),
            "roster": roster,
            "nps": self.make_nps(orders),
            "first": self.first,
        }

    def make_accounts(self) -> list[dict]:
        names = [f"{a} {b} {c}" for a in NAME_START for b in NAME_END for c in NAME_SUFFIX]
        needed = self.account_count + self.hidden_accounts
        if needed > len(names) or self.part:  # a scaled company numbers its names to keep them apart
            copies = -(-needed // len(names))
            names = [f"{name} {self.part * copies + k + 1}" for k in range(copies) for name in names]
        chosen = self.rng.choice(len(names), size=needed, replace=False)
        accounts = []
        for n, name_index in enumerate(chosen):
            region = self.pick(list(REGIONS), p=[0.9, 0.1])
            employees = int(np.clip(self.rng.lognormal(6.0, 1.0), 20, 40_000))
            accounts.append(
                {
                    "id": salesforce_id("001", 40_000 + (self.first + n) * 13),
                    "name": names[int(name_index)],
                    "industry": self.pick(INDUSTRIES, p=[0.22, 0.24, 0.1, 0.08, 0.14, 0.12, 0.1]),
                    "employees": employees,
                    "region": region,
                    "country": self.pick(REGIONS[region]),
                    "revenue": round(employees * float(self.rng.uniform(150_000, 400_000)), -3),
                    "since": START - timedelta(days=int(self.rng.integers(60, 2600)))
                    if n < self.installed_base
                    else None,
                    "annual_spend": float(self.rng.lognormal(10.0, 1.55)),  # scaled later to the revenue target
                    "hidden": n >= self.account_count,
                }
            )
        return accounts

    # ---- leads and deals -----------------------------------------------------------------------------
    def make_leads(self) -> list[dict]:
        names = list(SOURCES)
        shares = np.array([SOURCES[s][0] for s in names])
        visible = [a for a in self.accounts if not a["hidden"]]
        emails: set[str] = set()
        leads = []
        for n in range(self.lead_count):
            source = self.pick(names, p=shares / shares.sum())
            _, qualify_mult, win_mult, campaigns = SOURCES[source]
            first, last = self.person()
            account = self.pick(visible)
            email = f"{first}.{last}@{account['name'].split()[0]}{account['name'].split()[1]}.com".lower()
            email = email.replace("ü", "ue")
            while email in emails:
                email = email.replace("@", f"{int(self.rng.integers(10))}@", 1)
            emails.add(email)
            lead = {
                "id": str(51_200_101 + (self.first + n) * 50 + int(self.rng.integers(50))),
                "first": first,
                "last": last,
                "email": email,
                "title": self.pick(LEAD_TITLES),
                "account": account,
                "created": self.moment(),
                "source": source,
                "campaign": self.pick(campaigns),
                "owner": self.pick(self.sdrs)["name"],
                "win_mult": win_mult * INDUSTRY_WIN.get(account["industry"], 1.0),
                "deal": None,
            }
            self.advance_lead(lead, qualify_mult)
            leads.append(lead)
        return leads

    def advance_lead(self, lead: dict, qualify_mult: float) -> None:
        """Walk a lead down the funnel: engagement, MQL, meeting, opportunity, or disqualification."""
        created = lead["created"]
        lead.update(mql=None, meeting=None, opportunity=None, disqualified=None, bad_timing=False)
        lead["engaged"] = self.after(created, 2) if self.rng.random() < 0.7 else None
        last = lead["engaged"] or created
        if self.rng.random() < QUALIFY_RATE * qualify_mult:
            lead["mql"] = last = self.after(created, 10)
            if self.rng.random() < 0.55:
                lead["meeting"] = last = self.after(lead["mql"], 8)
                if self.rng.random() < 0.62:
                    lead["opportunity"] = last = self.after(lead["meeting"], 6)
        if lead["opportunity"] is None and self.rng.random() < 0.45:
            lead["disqualified"] = self.after(last, 20)
            lead["bad_timing"] = self.rng.random() < 0.3
        for key in ("engaged", "mql", "meeting", "opportunity", "disqualified"):
            if lead[key] is not None and lead[key] > AS_OF:
                lead[key] = None
        lead["last_activity"] = min(self.after(last, 15), AS_OF)

    def make_opportunities(self, leads: list[dict]) -> tuple[list[dict], list[dict]]:
        converted = [lead for lead in leads if lead["opportunity"] is not None]
        outbound = [None] * round(len(converted) / 9)  # ~10% of deals come from outbound prospecting, no lead
        opportunities, history = [], []
        for n, lead in enumerate(converted + outbound):
            opportunity, changes = self.make_opportunity(n, lead)
            opportunities.append(opportunity)
            history.extend(changes)
        hidden = [a for a in self.accounts if a["hidden"]]
        open_or_lost = [o for o in opportunities if not o["won"]]
        step = len(open_or_lost) // len(hidden)
        for account, opportunity in zip(hidden, open_or_lost[7::step], strict=False):
            opportunity["account"] = account
        return opportunities, history

    def make_opportunity(self, n: int, lead: dict | None) -> tuple[dict, list[dict]]:
        if lead is None:
            account = self.pick(self.accounts[: self.account_count])
            created = self.moment()
            win_mult, source, campaign = 0.9 * INDUSTRY_WIN.get(account["industry"], 1.0), "Outbound Prospecting", ""
        else:
            account, created = lead["account"], lead["opportunity"]
            win_mult, source, campaign = lead["win_mult"], lead["source"], lead["campaign"]
            lead["deal"] = n
        product = self.product_on(created.date(), weight_column=6)
        if product[5] < 2000:  # devices sold by the unit, at a small discount
            quantity = int(self.rng.integers(10, 80))
            amount = round(float(product[5] * quantity * self.rng.uniform(0.85, 1.0)), -2)
        else:
            quantity, amount = 1, round(float(product[5] * self.rng.lognormal(0.9, 0.6)), -2)
        won = self.rng.random() < min(WIN_RATE * win_mult, 0.9)
        close = created + timedelta(days=float(self.rng.lognormal(np.log(68 if won else 50), 0.5)))
        final = ("Closed Won" if won else "Closed Lost") if close <= AS_OF else self.pick(STAGES)
        # stages passed: an open deal is at its current stage; a lost deal may have dropped out at any stage
        reached = STAGES.index(final) + 1 if final in STAGES else 5 if won else int(self.rng.integers(1, 6))
        path = STAGES[:reached] + ([final] if final.startswith("Closed") else [])
        step = (min(close, AS_OF) - created) / len(path)
        stamps = [created + step * i for i in range(len(path))]
        if final.startswith("Closed"):
            stamps[-1] = close
        stamps = [s.replace(second=0, microsecond=0) for s in stamps]
        stage_at = dict(zip(path, stamps, strict=True))
        owner = self.pick([s for s in self.sellers if s["employed_on"](created.date())] or self.sellers)
        record = {
            "id": salesforce_id("006", 7_000 + (self.first + n) * 29),
            "product": product,
            "quantity": quantity,
            "account": account,
            "lead": lead["id"] if lead else "",
            "stage": final,
            "amount": amount,
            "created": created,
            "close": close if final.startswith("Closed") else AS_OF + timedelta(days=int(self.rng.integers(15, 150))),
            "closed": final.startswith("Closed"),
            "won": final == "Closed Won",
            "source": source,
            "campaign": campaign,
            "owner": owner["name"],
            **self.milestones(stage_at, final),
        }
        history = [
            {"opp": record, "from": path[i - 1] if i else "", "to": stage, "at": stamp}
            for i, (stage, stamp) in enumerate(zip(path, stamps, strict=True))
        ]
        return record, history

    def milestones(self, stage_at: dict, final: str) -> dict:
        """RFP, proposal and presentation dates, in that order, inside the deal's life (most deals, not all)."""
        rfp = stage_at.get("Needs Analysis") if self.rng.random() < 0.8 else None
        proposal = stage_at.get("Proposal/Price Quote")
        presentation = None
        if proposal is not None and self.rng.random() < 0.7:
            limit = stage_at.get("Negotiation/Review") or (stage_at[final] if final.startswith("Closed") else AS_OF)
            presentation = proposal + (min(limit, AS_OF) - proposal) * float(self.rng.uniform(0.2, 0.9))
        return {"rfp": rfp, "proposal": proposal, "presentation": presentation}

    # ---- after the sale ------------------------------------------------------------------------------
    def make_orders(self, opportunities: list[dict]) -> list[dict]:
        """First orders of won deals, plus reorders and renewals; some customers lapse, a few come back.

        Reorder values are scaled at the end so the last twelve months invoice REVENUE_LTM in total.
        """
        orders = []
        for account in self.accounts[: self.installed_base]:
            self.account_orders(account, START, orders)
        for opp in sorted((o for o in opportunities if o["won"]), key=lambda o: o["close"]):
            day = opp["close"].date() + timedelta(days=int(self.rng.integers(0, 12)))
            if day > END:
                day = END
            product = opp["product"]
            lines = [(product[0], opp["quantity"], opp["amount"], True)]
            if product[2] != "Services" and self.rng.random() < 0.4:
                lines.append(("Implementation Services", 1, round(opp["amount"] * 0.2, -2), True))
            orders.append({"account": opp["account"], "date": day, "lines": lines})
            account = opp["account"]
            if account["since"] is None and not account.get("reordering"):
                account["reordering"] = True
                self.account_orders(account, day + timedelta(days=60), orders)
        factor = self.scale_reorders(orders, REVENUE_LTM * self.scale)
        for account in self.accounts:
            account["annual_spend"] *= factor
            account["wallet"] = round(account["annual_spend"] * float(self.rng.uniform(2.0, 4.5)), -2)
        return sorted(orders, key=lambda o: (o["date"], o["account"]["id"]))

    def account_orders(self, account: dict, start: date, orders: list[dict]) -> None:
        per_year = int(self.rng.integers(2, 6))
        when = start + timedelta(days=int(self.rng.integers(0, 120)))
        while when <= END:
            if self.rng.random() < 0.035:  # a lapse: a long gap, and most lapsed customers never come back
                if self.rng.random() < 0.6:
                    return
                when += timedelta(days=int(self.rng.integers(400, 640)))
                continue
            years_in = (when - START).days / 365
            value = account["annual_spend"] / per_year * 1.08**years_in * float(self.rng.lognormal(0, 0.3))
            product = self.product_on(when, weight_column=7)
            quantity = max(1, round(value / product[5])) if product[5] < 2000 else 1
            orders.append({"account": account, "date": when, "lines": [(product[0], quantity, value, False)]})
            when += timedelta(days=int(365 / per_year * self.rng.uniform(0.7, 1.3)))

    @staticmethod
    def scale_reorders(orders: list[dict], revenue: float) -> float:
        """Scale reorder lines so the last twelve months invoice `revenue`; first orders keep deal amounts."""
        firsts = sum(line[2] for o in orders if o["date"] >= LTM_START for line in o["lines"] if line[3])
        reorders = sum(line[2] for o in orders if o["date"] >= LTM_START for line in o["lines"] if not line[3])
        factor = (revenue - firsts) / reorders
        for order in orders:
            order["lines"] = [
                (product, quantity, amount if first else round(amount * factor / quantity, 2) * quantity, first)
                for product, quantity, amount, first in order["lines"]
            ]
        return factor

    def mark_customers(self, orders: list[dict]) -> None:
        for order in orders:
            account = order["account"]
            if account["since"] is None or account["since"] > order["date"]:
                account["since"] = order["date"]

    def make_activities(self, leads: list[dict], opportunities: list[dict]) -> list[dict]:
        activities = []
        for opp in opportunities:
            end = min(opp["close"], AS_OF)
            counts = {
                "Meeting": int(self.rng.poisson(3.5 if opp["won"] else 2)) + 1,
                "Call": int(self.rng.poisson(3)),
                "Email": int(self.rng.poisson(4)),
                "Content Share": int(self.rng.random() < (0.75 if opp["won"] else 0.35)),
            }
            for kind, count in counts.items():
                for _ in range(count):
                    activities.append(self.activity(kind, opp["created"], end, opp["owner"], opp["won"],
                                                    lead=opp["lead"], opp=opp["id"], account=opp["account"]))  # fmt: skip
        for lead in leads:
            if lead["mql"] is None:
                continue
            end = lead["opportunity"] or lead["last_activity"]
            for kind in ["Call"] * int(self.rng.integers(1, 3)) + ["Email"] * int(self.rng.integers(0, 3)):
                activities.append(self.activity(kind, lead["mql"], end, lead["owner"], False,
                                                lead=lead["id"], opp="", account=lead["account"]))  # fmt: skip
        activities.sort(key=lambda a: a["date"])
        return activities

    def activity(self, kind, start, end, owner, won, *, lead, opp, account) -> dict:
        when = start + (end - start) * float(self.rng.random()) if end > start else start
        outcome, duration = "", ""
        if kind == "Meeting":
            advanced = 0.65 if won else 0.4
            outcome = self.pick(["Advanced - next step agreed", "Held - no next step", "No-show"],
                                p=[advanced, 0.9 - advanced, 0.1])  # fmt: skip
            duration = int(self.rng.choice([30, 45, 60, 90]))
        elif kind == "Call":
            outcome = self.pick(["Connected", "Left voicemail", "Advanced - next step agreed"], p=[0.45, 0.4, 0.15])
            duration = int(self.rng.integers(2, 40)) if outcome != "Left voicemail" else 1
        topic = {"Meeting": "Discovery meeting", "Call": "Follow-up call", "Email": "Email: next steps",
                 "Content Share": "Sent content"}[kind]  # fmt: skip
        return {
            "type": kind,
            "date": when,
            "duration": duration,
            "owner": owner,
            "outcome": outcome,
            "asset": self.pick(ASSETS) if kind == "Content Share" else "",
            "lead": lead,
            "opp": opp,
            "account": account["id"],
            "subject": topic,
        }

    # ---- cost, people and survey ---------------------------------------------------------------------
    def make_spend(self) -> list[list]:
        """Monthly GL lines. Each line's last twelve months sum to its annual figure; earlier years are smaller.

        Annual figures (last twelve months): sales $5.67M, marketing $2.22M, programs about 30% of the total.
        """
        people = {  # department: annual people cost, split into wages, commissions (sales only) and benefits
            "Sales : Field Sales": 3_720_000,
            "Sales : Inside Sales": 620_000,
            "Sales : Sales Operations": 160_000,
            "Marketing : Demand Generation": 400_000,
            "Marketing : Field Marketing": 140_000,
            "Marketing : Marketing Operations": 140_000,
            "Marketing : Product Marketing": 340_000,
        }
        programs = [  # account, department, class, channel, annual
            ("6310 Paid Media", "Marketing : Demand Generation", "Acquisition", "Paid Search", 340_000),
            ("6310 Paid Media", "Marketing : Demand Generation", "Acquisition", "Paid Social", 200_000),
            ("6320 Events & Tradeshows", "Marketing : Field Marketing", "Acquisition", "Events", 260_000),
            ("6330 Content & Creative", "Marketing : Product Marketing", "Nurture", "Content", 120_000),
            ("6330 Content & Creative", "Marketing : Demand Generation", "Nurture", "Email", 50_000),
            ("6340 Marketing Technology", "Marketing : Marketing Operations", "Nurture", "", 110_000),
            ("6350 Agency Fees", "Marketing : Demand Generation", "Retention", "Content", 60_000),
            ("6350 Agency Fees", "Marketing : Field Marketing", "Win-back", "Email", 40_000),
            ("6350 Agency Fees", "Marketing : Field Marketing", "Acquisition", "Partners", 20_000),
            ("6410 Travel & Entertainment", "Sales : Field Sales", "Acquisition", "", 840_000),
            ("6420 Sales Tools & Data", "Sales : Sales Operations", "Acquisition", "", 330_000),
        ]
        ledger = []
        for department, annual in people.items():
            split = [
                ("6010 Salaries & Wages", 0.7),
                ("6120 Commissions", 0.18),
                ("6030 Payroll Taxes & Benefits", 0.12),
            ]
            if department.startswith("Marketing"):
                split = [("6010 Salaries & Wages", 0.85), ("6030 Payroll Taxes & Benefits", 0.15)]
            for account, share in split:
                ledger.append((account, department, "", "", "Monthly payroll", annual * share, 0.03))
        for account, department, purpose, channel, annual in programs:
            ledger.append((account, department, purpose, channel, f"{channel or account[5:]} spend", annual, 0.25))
        lines = []
        months = month_starts()
        growth = np.array([0.8 + 0.2 * i / (len(months) - 1) for i in range(len(months))])
        ltm = np.array([m >= LTM_START for m in months])
        for account, department, purpose, channel, memo, annual, noise in ledger:
            raw = growth * self.rng.lognormal(0, noise, len(months))
            amounts = np.round(raw * annual / raw[ltm].sum(), 2)
            for month, amount in zip(months, amounts, strict=True):
                lines.append([month.strftime("%b %Y"), account, department, purpose, channel, memo, float(amount)])
        for month in months[2::7]:  # a few reversals: credit notes from the media agency
            lines.append([month.strftime("%b %Y"), "6310 Paid Media", "Marketing : Demand Generation", "Acquisition",
                          "Paid Search", "Credit note - billing error", -float(self.rng.integers(500, 3000))])  # fmt: skip
        order = {m.strftime("%b %Y"): i for i, m in enumerate(months)}
        return sorted(lines, key=lambda line: (order[line[0]], line[1], line[2]))

    def make_roster(self) -> list[dict]:
        """The whole company. Sales and marketing: 24 quota-bearing sellers, 1 field marketer, 2 ops staff of 41."""
        teams = [  # title, department, division, count, leader title
            ("Chief Executive Officer", "Executive", "Executive", 1, ""),
            ("VP Sales", "Sales", "Field Sales", 1, "Chief Executive Officer"),
            ("Regional Sales Manager", "Sales", "Field Sales", 2, "VP Sales"),
            ("Account Executive", "Sales", "Field Sales", 16, "Regional Sales Manager"),
            ("Enterprise Account Executive", "Sales", "Field Sales", 8, "VP Sales"),
            ("Sales Development Representative", "Sales", "Inside Sales", 3, "Regional Sales Manager"),
            ("Business Development Representative", "Sales", "Inside Sales", 2, "Regional Sales Manager"),
            ("Sales Engineer", "Sales", "Field Sales", 1, "VP Sales"),
            ("Sales Operations Analyst", "Sales", "Sales Operations", 1, "VP Sales"),
            ("Chief Marketing Officer", "Marketing", "Demand Generation", 1, "Chief Executive Officer"),
            ("Field Marketing Manager", "Marketing", "Field Marketing", 1, "Chief Marketing Officer"),
            ("Demand Generation Manager", "Marketing", "Demand Generation", 2, "Chief Marketing Officer"),
            ("Product Marketing Manager", "Marketing", "Product Marketing", 1, "Chief Marketing Officer"),
            ("Content Marketing Manager", "Marketing", "Product Marketing", 1, "Chief Marketing Officer"),
            ("Marketing Operations Manager", "Marketing", "Marketing Operations", 1, "Chief Marketing Officer"),
            ("Chief Technology Officer", "Engineering", "Engineering", 1, "Chief Executive Officer"),
            ("Software Engineer", "Engineering", "Platform", 136, "Chief Technology Officer"),
            ("Hardware Engineer", "Engineering", "Devices", 36, "Chief Technology Officer"),
            ("Product Manager", "Product", "Product", 12, "Chief Technology Officer"),
            ("Customer Success Manager", "Customer Success", "Customer Success", 30, "Chief Executive Officer"),
            ("Support Specialist", "Customer Success", "Support", 26, "Customer Success Manager"),
            ("Assembly Technician", "Operations", "Manufacturing", 34, "Chief Executive Officer"),
            ("Supply Chain Planner", "Operations", "Manufacturing", 6, "Chief Executive Officer"),
            ("Chief Financial Officer", "Finance", "G&A", 1, "Chief Executive Officer"),
            ("Accountant", "Finance", "G&A", 9, "Chief Financial Officer"),
            ("People Partner", "People", "G&A", 6, "Chief Financial Officer"),
            ("IT Administrator", "IT", "G&A", 5, "Chief Financial Officer"),
        ]
        leavers = [("Account Executive", 4), ("Sales Development Representative", 1), ("Field Marketing Manager", 1)]
        rows, names_by_title = [], {}
        for title, department, division, count, leader in teams:
            for _ in range(count):
                rows.append(self.employee(len(rows), title, department, division, leader, names_by_title))
        for title, count in leavers:  # people who left: on the roster, but not staff any more
            team = next(t for t in teams if t[0] == title)
            for _ in range(count):
                row = self.employee(len(rows), *team[:3], team[4], names_by_title)
                row["hired"] = START - timedelta(days=int(self.rng.integers(100, 900)))
                row["left"] = START + timedelta(days=int(self.rng.integers(60, 700)))
                rows.append(row)
        for row in rows:
            hired, left = row["hired"], row["left"]
            row["employed_on"] = lambda day, hired=hired, left=left: hired <= day and (left is None or day < left)
        return rows

    def employee(self, n: int, title, department, division, leader, names_by_title) -> dict:
        first, last = self.person()
        name = f"{first} {last}"
        names_by_title.setdefault(title, name)
        status = "Full-Time"
        if department in ("Engineering", "Customer Success") and self.rng.random() < 0.06:
            status = self.pick(["Part-Time", "Contractor"])
        return {
            "number": 1001 + n,
            "first": first,
            "last": last,
            "name": name,
            "title": title,
            "department": department,
            "division": division,
            "location": self.pick(["Chicago, IL", "Austin, TX", "Remote - US"], p=[0.5, 0.3, 0.2]),
            "hired": END - timedelta(days=int(self.rng.integers(30, 3200))),
            "status": status,
            "left": None,
            "manager": names_by_title.get(leader, ""),
        }

    def make_nps(self, orders: list[dict]) -> list[list]:
        comments = {
            "promoter": ["Great support team", "Route Optimizer paid for itself", "Reliable hardware", ""],
            "passive": ["Fine overall", "Onboarding took long", "", ""],
            "detractor": ["Too expensive", "Gateway firmware issues", "Slow support response"],
        }
        first_order: dict[str, dict] = {}
        for order in orders:
            first_order.setdefault(order["account"]["id"], order)
        customers = list(first_order.values())
        rows = []
        for n in range(round(NPS_RESPONSES * self.scale)):
            score = int(self.rng.choice(11, p=[0.01, 0.01, 0.01, 0.02, 0.03, 0.04, 0.05, 0.17, 0.19, 0.26, 0.21]))
            group = "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"
            order = self.pick(customers)
            earliest = max(order["date"], START)
            day = earliest + timedelta(days=int(self.rng.integers(0, (END - earliest).days + 1)))
            when = datetime.combine(day, time(9)) + timedelta(seconds=int(self.rng.integers(0, 10 * 3600)))
            first, last = self.person()
            domain = "".join(order["account"]["name"].split()[:2]).lower()
            rows.append([str(40_112_000 + (self.first + n) * 3), f"{first}.{last}@{domain}.com".lower().replace("ü", "ue"), score,
                         self.pick(comments[group]), when.strftime("%Y-%m-%dT%H:%M:%SZ"), order["account"]["id"]])  # fmt: skip
        return sorted(rows, key=lambda row: row[4])


# ---- writers: each in its system's export style ------------------------------------------------------
def us_date(value) -> str:
    return f"{value.month}/{value.day}/{value.year}" if value else ""


def us_datetime(value: datetime) -> str:
    return f"{us_date(value)} {value.strftime('%I:%M %p').lstrip('0')}"


def iso_minutes(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def dollars(value: float) -> str:
    return f"${value:,.2f}"


def accounting(value: float) -> str:
    return f"({-value:,.2f})" if value < 0 else f"{value:,.2f}"


def write(path: Path, header: list[str], rows: list[list], *, salesforce: bool = False) -> None:
    """A CSV file; Salesforce reports quote every field, use CRLF and end with the report footer."""
    with path.open("w", newline="", encoding="utf-8") as out:
        if salesforce:
            writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        else:
            writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        if salesforce:
            writer.writerows(SALESFORCE_FOOTER)


def contact_rows(leads: list[dict], opportunities: list[dict]) -> list[list]:
    """HubSpot contacts, with ~1% blank create dates and a few contacts exported twice (data-quality findings)."""
    rows = []
    for n, lead in enumerate(leads):
        deal = opportunities[lead["deal"]] if lead["deal"] is not None else None
        if deal is not None:
            stage, status = ("customer" if deal["won"] else "opportunity"), "Open Deal"
        elif lead["disqualified"]:
            stage, status = "other", "Bad Timing" if lead["bad_timing"] else "Unqualified"
        elif lead["meeting"]:
            stage, status = "salesqualifiedlead", "Connected"
        elif lead["mql"]:
            stage, status = "marketingqualifiedlead", "Attempted to Contact" if n % 3 else "In Progress"
        else:
            stage, status = "lead", "Open" if lead["engaged"] else "New"
        account, last_activity = lead["account"], lead["last_activity"]
        if deal is not None:  # the deal's meetings and calls count as the contact's activity too
            last_activity = max(last_activity, min(deal["close"], AS_OF).replace(second=0, microsecond=0))
        associated = deal["account"]["id"] if deal else account["id"] if n % 3 == 0 else ""
        rows.append([
            lead["id"], lead["first"], lead["last"], lead["email"], account["name"], lead["title"],
            account["industry"] if n % 8 else "", account["employees"] if n % 5 else "",
            account["country"] if n % 20 else "", f"{account['revenue']:.0f}" if n % 3 else "",
            "" if n % 97 == 13 else iso_minutes(lead["created"]), lead["source"], lead["campaign"], lead["owner"],
            status, stage, iso_minutes(lead["mql"]), iso_minutes(lead["meeting"]), iso_minutes(lead["opportunity"]),
            iso_minutes(lead["disqualified"]), iso_minutes(lead["engaged"]), iso_minutes(last_activity),
            associated,
        ])  # fmt: skip
    for index in reversed(range(3_331, len(rows), 6_007)):  # contacts exported twice, after an incomplete merge
        duplicate = list(rows[index])
        duplicate[5] = "Director of Operations"
        rows.insert(index + 1, duplicate)
    return rows


def write_all(data: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    opportunities = data["opportunities"]
    write(out / "hubspot_contacts.csv", [
        "Record ID", "First Name", "Last Name", "Email", "Company Name", "Job Title", "Industry",
        "Number of Employees", "Country/Region", "Annual Revenue", "Create Date", "Original Source",
        "First Touch Converting Campaign", "Contact owner", "Lead Status", "Lifecycle Stage",
        "Became a Marketing Qualified Lead Date", "First Meeting Booked Date", "Became an Opportunity Date",
        "Disqualified Date", "First Engagement Date", "Last Activity Date", "Associated Company ID",
    ], contact_rows(data["leads"], opportunities))  # fmt: skip

    write(out / "salesforce_opportunities_report.csv", [
        "Opportunity ID", "Opportunity Name", "Account ID", "Account Name", "HubSpot Contact ID", "Stage", "Amount",
        "Probability (%)", "Created Date", "Close Date", "Closed", "Won", "Lead Source", "Primary Campaign Source",
        "Opportunity Owner", "Product Family", "Region", "RFP Received Date", "Proposal Sent Date",
        "Presentation Date",
    ], [[
        o["id"], f"{o['account']['name']} - {o['product'][0]}", o["account"]["id"], o["account"]["name"], o["lead"],
        o["stage"], dollars(o["amount"]), STAGE_PROBABILITY[o["stage"]], us_date(o["created"]), us_date(o["close"]),
        int(o["closed"]), int(o["won"]), o["source"], o["campaign"], o["owner"], o["product"][2],
        o["account"]["region"], us_date(o["rfp"]), us_date(o["proposal"]), us_date(o["presentation"]),
    ] for o in opportunities], salesforce=True)  # fmt: skip

    write(out / "salesforce_opportunity_history.csv", [
        "Opportunity ID", "Opportunity Name", "From Stage", "To Stage", "Amount", "Probability (%)", "Close Date",
        "Edit Date",
    ], [[
        h["opp"]["id"], f"{h['opp']['account']['name']} - {h['opp']['product'][0]}", h["from"], h["to"],
        dollars(h["opp"]["amount"]), STAGE_PROBABILITY[h["to"]], us_date(h["opp"]["close"]), us_datetime(h["at"]),
    ] for h in data["history"]], salesforce=True)  # fmt: skip

    write(out / "salesforce_activities.csv", [
        "Activity ID", "Activity Type", "Subject", "Date", "Duration (min)", "Assigned", "Outcome", "Content Shared",
        "Lead ID", "Opportunity ID", "Account ID",
    ], [[
        salesforce_id("00U" if a["type"] == "Meeting" else "00T", 90_000 + (data["first"] + n) * 7), a["type"],
        a["subject"],
        us_date(a["date"]), a["duration"], a["owner"], a["outcome"], a["asset"], a["lead"], a["opp"], a["account"],
    ] for n, a in enumerate(data["activities"])], salesforce=True)  # fmt: skip

    write(out / "salesforce_accounts.csv", [
        "Account ID", "Account Name", "Industry", "Employees", "Billing Country", "Region", "Annual Revenue",
        "Customer Since", "Wallet Estimate",
    ], [[
        a["id"], a["name"], a["industry"], a["employees"], a["country"], a["region"], dollars(a["revenue"]),
        us_date(a["since"]), dollars(a["wallet"]),
    ] for a in data["accounts"] if not a["hidden"]], salesforce=True)  # fmt: skip

    write(out / "salesforce_products.csv", [
        "Product Name", "Product Code", "Product Family", "Gross Margin %", "Launch Date", "List Price",
    ], [[p[0], p[1], p[2], f"{p[3]:.0%}", us_date(p[4]), dollars(p[5])] for p in PRODUCTS], salesforce=True)  # fmt: skip

    write(out / "erp_invoice_lines.csv", [
        "Invoice No", "Invoice Date", "Customer ID", "Customer Name", "Item", "Qty", "Line Amount", "Gross Profit",
        "Currency",
    ], invoice_rows(data["orders"], 100_001 + data["first"]))  # fmt: skip

    write(out / "gl_sales_marketing_extract.csv", [
        "Period", "Account", "Department", "Class", "Channel", "Memo", "Amount",
    ], [[*line[:6], accounting(line[6])] for line in data["spend"]])  # fmt: skip

    write(out / "bamboohr_employees.csv", [
        "Employee #", "First Name", "Last Name", "Job Title", "Department", "Division", "Location", "Hire Date",
        "Employment Status", "Termination Date", "Reporting to",
    ], [[
        r["number"], r["first"], r["last"], r["title"], r["department"], r["division"], r["location"],
        r["hired"].isoformat(), r["status"], r["left"].isoformat() if r["left"] else "", r["manager"],
    ] for r in data["roster"]])  # fmt: skip

    write(out / "delighted_nps_responses.csv", [
        "Response ID", "Email", "Score", "Comment", "Created At", "Company ID",
    ], data["nps"])  # fmt: skip

    profile = {
        "company_name": "Brightline Systems",
        "currency": "USD",
        "market_size": 1_500_000_000,
        "segment": {"gtm_model": "field sales", "size_band": "$50M-$250M", "industry": "technology",
                    "region": "North America"},
        # the sample's own answers to the two self-assessments (core/metrics/questionnaire.py), 0 = not at all .. 4 = always
        "questionnaire": {
            "se_content": 3, "se_onboarding": 2, "se_training": 2, "se_playbooks": 3, "se_tools": 2,
            "se_feedback": 2, "se_measure": 1,
            "lm_definition": 3, "lm_scoring": 2, "lm_routing": 2, "lm_follow_up": 2, "lm_nurture": 1,
            "lm_feedback": 1, "lm_reporting": 2,
        },
    }  # fmt: skip
    (out / "company_profile.json").write_text(json.dumps(profile, indent=2) + "\n")


def invoice_rows(orders: list[dict], first_number: int) -> list[list]:
    """ERP invoice lines: day-first dates, thousands separators, one item typed two ways on some lines."""
    margins = {p[0]: p[3] for p in PRODUCTS}
    rows = []
    for number, order in enumerate(orders, start=first_number):
        account = order["account"]
        for line, (product, quantity, amount, _) in enumerate(order["lines"]):
            item = MISSPELLED.get(product, product) if (number + line) % 12 == 0 else product
            rows.append([
                f"INV-{number}", order["date"].strftime("%d/%m/%Y"), account["id"], account["name"], item,
                quantity, f"{amount:,.2f}", f"{amount * margins[product]:,.2f}", "USD",
            ])  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=Path(__file__).parent, help="output folder")
    parser.add_argument("--leads", type=int, default=LEAD_COUNT, help="leads to generate (scales the company)")
    parser.add_argument("--part", type=int, default=0, help="id block, to concatenate parts into one export")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    write_all(Company(args.seed, args.leads, args.part).build(), args.out)


if __name__ == "__main__":
    main()
