"""What a letter becomes: text formats, PDF, QR codes, printing, files on disk."""
