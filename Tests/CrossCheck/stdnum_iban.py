#!/usr/bin/env python3
"""Judges IBANs with python-stdnum (stdnum.iban), as a second opinion on Settle's BankDetails.IBAN.

Usage: stdnum_iban.py CANDIDATES RESULTS

CANDIDATES has one IBAN in electronic format a line. RESULTS gets one line each:

    ISO_VERDICT NATIONAL_VERDICT REGISTRY

ISO_VERDICT is stdnum's verdict with check_country=False (the registry's BBAN format and the mod-97 check digits,
what ISO 13616 defines and Settle checks); NATIONAL_VERDICT with check_country=True (also the national check digits
stdnum knows for a few countries). Each is `valid` or the name of the exception stdnum raised. REGISTRY is `listed`
when the country is in stdnum's copy of the SWIFT IBAN registry, `unlisted` otherwise.
"""
import sys

import stdnum
from stdnum import iban
from stdnum.exceptions import ValidationError


def verdict(number, check_country):
    try:
        iban.validate(number, check_country=check_country)
        return "valid"
    except ValidationError as error:
        return type(error).__name__


def listed(number):
    return "listed" if iban._ibandb.info(number)[0][1] else "unlisted"


def main():
    candidates_path, results_path = sys.argv[1], sys.argv[2]
    count = 0
    with open(candidates_path) as candidates, open(results_path, "w") as results:
        for line in candidates:
            number = line.strip()
            results.write(f"{verdict(number, False)} {verdict(number, True)} {listed(number)}\n")
            count += 1
    print(f"stdnum_iban.py: python-stdnum {stdnum.__version__}, {count} candidates", file=sys.stderr)


if __name__ == "__main__":
    main()
