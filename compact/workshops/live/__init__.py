"""The live wall's transport: Server-Sent Events (what pages use) and a WebSocket (kept for
clients that want one), both fed by the channel layer and the WallEvent table for catch-up.
See docs/decisions/0003-live-transport.md."""
