"""The official return: its files made and placed as one transaction (the journal), the
returns register, the checksum saved in and checked (canonical view), verify, signatures, and
the PDF through LibreOffice."""
