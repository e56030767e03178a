"""SQL persistence of the gateway, the password hash, sign-in with OpenID Connect and forwarding over NATS."""
