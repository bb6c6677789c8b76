"""Print the TCVN3 (ABC) table of `site_builder/legacy_text.py` from the system's iconv.

    python scripts/legacy_tables.py > /tmp/tcvn3.txt

The table was made with GNU libc's iconv, whose TCVN5712-1 converter implements TCVN 5712:1993
(the Vietnamese national standard). TCVN3 ("ABC", the .VnTime fonts) is its VN3 subset: the
bytes 0xA1-0xFF (lowercase letters with every tone, and Ă Â Ê Ô Ơ Ư Đ). Text typed with those
fonts reaches us as the Windows-1252 / Latin-1 characters of the same bytes (U+00A1-U+00FF),
which is what the table maps.
"""

from __future__ import annotations

import subprocess
import unicodedata


def main() -> None:
    rows = []
    for byte in range(0xA1, 0x100):
        done = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=bytes([byte]),
                              capture_output=True, check=True)
        target = unicodedata.normalize("NFC", done.stdout.decode("utf-8"))
        shown = f"'\\u{ord(target):04x}'" if unicodedata.combining(target) else repr(target)
        rows.append(f"0x{byte:02X}: {shown},")
    for start in range(0, len(rows), 6):
        print("    " + " ".join(rows[start:start + 6]))


if __name__ == "__main__":
    main()
