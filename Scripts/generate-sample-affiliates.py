#!/usr/bin/env python3
"""Writes samples/affiliates.csv: the demo's affiliates AFF0001…AFF3000 (the ids `settle generate
orders` uses), paid by every method in many currencies, with a handful of deliberately bad rows
so the demo shows held payouts. Deterministic. IBANs get their check digits from an independent
big-integer mod-97 here, so the file also cross-checks Settle's own IBAN code.

usage: Scripts/generate-sample-affiliates.py ../shared/reference/iban-registry.csv > samples/affiliates.csv
"""
import csv
import random
import re
import string
import sys

COLUMNS = ["affiliate_id", "name", "email", "country", "payout_method", "payout_currency", "payoneer_payee_id",
           "iban", "bic", "account_number", "routing_code", "address_line", "city", "postal_code"]

# Country, payout currency, BIC, city, postal code: for IBAN wires and Wise IBAN recipients.
IBAN_BANKS = [
    ("DE", "EUR", "DEUTDEFF", "Frankfurt am Main", "60311"), ("FR", "EUR", "BNPAFRPP", "Paris", "75009"),
    ("NL", "EUR", "ABNANL2A", "Amsterdam", "1082 PP"), ("ES", "EUR", "CAIXESBB", "Barcelona", "08028"),
    ("IT", "EUR", "UNCRITMM", "Milano", "20154"), ("GB", "GBP", "NWBKGB2L", "London", "EC2M 4AA"),
    ("PL", "PLN", "PKOPPLPW", "Warszawa", "00-950"), ("CH", "CHF", "UBSWCHZH80A", "Zürich", "8001"),
    ("SE", "SEK", "ESSESESS", "Stockholm", "106 40"), ("DK", "DKK", "DABADKKK", "København", "1092"),
    ("CZ", "CZK", "KOMBCZPP", "Praha", "114 07"), ("HU", "HUF", "OTPVHUHB", "Budapest", "1051"),
    ("NO", "NOK", "DNBANOKK", "Oslo", "0191"), ("RO", "RON", "RNCBROBU", "București", "030016"),
    ("TR", "TRY", "TGBATRIS", "İstanbul", "34394"),
]
PAYONEER_CURRENCIES = [("US", "USD"), ("BR", "BRL"), ("JP", "JPY"), ("PH", "PHP"), ("ID", "IDR"), ("KR", "KRW"),
                       ("MX", "MXN"), ("ZA", "ZAR"), ("TH", "THB"), ("IL", "ILS")]
WISE_EMAIL = [("AU", "AUD"), ("CA", "CAD"), ("NZ", "NZD"), ("SG", "SGD"), ("HK", "HKD"), ("MY", "MYR")]
FIRST = ["Anna", "José", "Zoë", "Łukasz", "Søren", "François", "Ngozi", "Mei", "Ivan", "Aiko", "Olusegun",
         "Björn", "Renée", "Đorđe", "Çağla", "Priya", "Tomás", "Ülle", "Nguyễn", "Kwame"]
LAST = ["Müller", "García", "O'Brien", "Nowak", "Øvergaard", "Dubois", "Okafor", "Chen", "Petrov", "Tanaka",
        "Adeyemi", "Järvinen", "Lefèvre", "Đurić", "Yılmaz", "Sharma", "Ferreira", "Tamm", "Văn An", "Mensah"]
SPECIAL_NAMES = ["Иван Петров", "王小明", "Smith & Sons <Media> Ltd", "Ana María Núñez-Peña", "Ærø Ålesund Ørsted"]


def mod97(text):
    digits = "".join(str(int(c, 36)) for c in text)
    return int(digits) % 97


def bban(spec, rng):
    out = []
    for count, kind in re.findall(r"(\d+)!?([nac])", spec):
        pool = {"n": string.digits, "a": string.ascii_uppercase, "c": string.ascii_uppercase + string.digits}[kind]
        out.append("".join(rng.choice(pool) for _ in range(int(count))))
    return "".join(out)


def iban(country, registry, rng):
    length, spec = registry[country]
    body = bban(spec, rng)
    check = 98 - mod97(body + country + "00")
    value = f"{country}{check:02d}{body}"
    assert len(value) == length and mod97(value[4:] + value[:4]) == 1
    return value


def main():
    registry = {row["country"]: (int(row["iban_length"]), row["bban_spec"]) for row in csv.DictReader(open(sys.argv[1]))}
    rng = random.Random(2026)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(COLUMNS)
    for number in range(1, 3001):
        affiliate = f"AFF{number:04d}"
        if number == 2999:
            continue  # earns commission but has no row: unknown_affiliate in the demo
        row = dict.fromkeys(COLUMNS, "")
        row["affiliate_id"] = affiliate
        name = SPECIAL_NAMES[number % len(SPECIAL_NAMES)] if number % 97 == 0 else \
            f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        row["name"] = name
        kind = rng.random()
        if kind < 0.40:
            country, currency, bic, city, postal = rng.choice(IBAN_BANKS)
            row.update(country=country, payout_method="wire", payout_currency=currency, iban=iban(country, registry, rng),
                       bic=bic, address_line=f"{rng.randint(1, 200)} Market Street", city=city, postal_code=postal)
        elif kind < 0.45:
            row.update(country="US", payout_method="wire", payout_currency="USD",
                       account_number=str(rng.randint(10**9, 10**12)), bic="CHASUS33", address_line="270 Park Avenue",
                       city="New York", postal_code="10017")
        elif kind < 0.75:
            country, currency = rng.choice(PAYONEER_CURRENCIES)
            row.update(country=country, payout_method="payoneer", payout_currency=currency,
                       payoneer_payee_id=f"PY{rng.randint(10**7, 10**8 - 1)}")
        elif kind < 0.88:
            country, currency = rng.choice(WISE_EMAIL)
            local = "".join(ch for ch in name.lower() if ch in string.ascii_lowercase) or "affiliate"
            row.update(country=country, payout_method="wise", payout_currency=currency,
                       email=f"{local}.{number}@example.com")
        elif kind < 0.94:
            country, currency, bic, city, postal = rng.choice(IBAN_BANKS)
            row.update(country=country, payout_method="wise", payout_currency=currency, iban=iban(country, registry, rng),
                       city=city, postal_code=postal, address_line=f"{rng.randint(1, 200)} High Street")
        else:
            row.update(country="US", payout_method="wise", payout_currency="USD",
                       account_number=str(rng.randint(10**7, 10**10)), routing_code="026009593",
                       address_line="1 Main Street", city="Austin", postal_code="78701")
        # Deliberately bad rows: each holds one payout with a reason naming the field.
        if number == 7:
            row.update(payout_method="wire", country="DE", payout_currency="EUR", bic="DEUTDEFF",
                       iban="DE00370400440532013000", payoneer_payee_id="", email="", account_number="", routing_code="")
        elif number == 13:
            row["name"] = "=HYPERLINK(\"http://example.com\",\"x\")"
        elif number == 21:
            row.update(payout_method="payoneer", payoneer_payee_id="")
        elif number == 42:
            row.update(payout_method="wire", country="FR", payout_currency="EUR", bic="BNPA FRPP",
                       iban=iban("FR", registry, rng))
        elif number == 99:
            row["payout_currency"] = "XYZ"
        elif number == 150:
            row.update(payout_method="payoneer", payout_currency="HRK", payoneer_payee_id="PY12345678")
        elif number == 404:
            row.update(payout_method="wise", email="not-an-address", iban="", account_number="", routing_code="")
        writer.writerow([row[column] for column in COLUMNS])
        if number == 500:
            writer.writerow([row[column] if column != "payoneer_payee_id" else "PY00000500" for column in COLUMNS])


main()
