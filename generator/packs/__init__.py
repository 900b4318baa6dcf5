"""Publishing packs per commune: poster, leaflet, loudspeaker article, blank forms, QR codes."""
