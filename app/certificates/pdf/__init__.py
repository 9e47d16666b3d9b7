"""Certificate PDFs: QR codes, HTML templating, PDF/A-3b rendering and PAdES signing.
No Flask here; the certificates services call these functions."""
