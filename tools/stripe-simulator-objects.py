#!/usr/bin/env python3
"""Builds src/Integrations.Sdk.Testing/Stripe/stripe-simulator-objects.json, the StripeSimulator's templates.

Usage: tools/stripe-simulator-objects.py SPEC3_JSON FIXTURES3_JSON OUT_JSON

From Stripe's own files (stripe/openapi, MIT; see the provenance in the output):
- "objects": the example objects of fixtures3.json (API 2026, newer than the spec) that the simulator serves, with
  (a) the fields the 2023-08-16 spec marks required but the 2026 examples no longer carry (basil removals) added,
  with the values an account on 2023-08-16 is sent, and (b) the example placeholders that no real object carries
  (random numbers, "obj_123", empty shipping objects, period start after end) replaced by realistic values.
  The simulator overlays its own state (ids, amounts, customer, status, times) on these at run time.
- "operations": for each operation the simulator serves, every parameter the spec declares (query for GET, form
  body for POST): its kind, the sub-keys a deepObject takes, and the enum of a string.
- "expandable": the spec's x-expandableFields of every schema, each with the schema it expands to.
"""
import json
import sys

SERVED = {
    "GET /v1/customers": ("/v1/customers", "get"),
    "POST /v1/customers": ("/v1/customers", "post"),
    "GET /v1/customers/{customer}": ("/v1/customers/{customer}", "get"),
    "POST /v1/customers/{customer}": ("/v1/customers/{customer}", "post"),
    "GET /v1/invoices": ("/v1/invoices", "get"),
    "GET /v1/invoices/{invoice}": ("/v1/invoices/{invoice}", "get"),
    "GET /v1/subscriptions": ("/v1/subscriptions", "get"),
    "GET /v1/subscriptions/{subscription_exposed_id}": ("/v1/subscriptions/{subscription_exposed_id}", "get"),
    "GET /v1/events": ("/v1/events", "get"),
    "GET /v1/events/{id}": ("/v1/events/{id}", "get"),
    "GET /v1/payment_intents/{intent}": ("/v1/payment_intents/{intent}", "get"),
}


def resolve(spec, schema):
    while isinstance(schema, dict) and "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].split("/")[-1]]
    return schema


def describe(spec, schema):
    """kind: string | integer | boolean | array | object | range (an object of gt/gte/lt/lte, or an integer)."""
    schema = resolve(spec, schema)
    branches = [resolve(spec, b) for b in schema.get("anyOf", [])] or [schema]
    kinds = [b.get("type", "object" if "properties" in b else "string") for b in branches]
    out = {}
    objects = [b for b in branches if b.get("type") == "object" or "properties" in b]
    subs = sorted({k for b in objects for k in b.get("properties", {})})
    if objects and subs == ["gt", "gte", "lt", "lte"]:
        out["kind"] = "range"
    elif objects:
        out["kind"] = "object"
        # additionalProperties (metadata) or a free-form object: any sub-key.
        if subs and not any(b.get("additionalProperties") for b in objects):
            out["keys"] = subs
    elif "array" in kinds:
        out["kind"] = "array"
    else:
        out["kind"] = next((k for k in kinds if k in ("integer", "boolean")), "string")
    enum = [e for b in branches for e in b.get("enum", []) if e != ""]
    # x-stripeBypassValidation: Stripe does not refuse other values (invoice status), so no enum is kept.
    if enum and out["kind"] == "string" and not any(b.get("x-stripeBypassValidation") for b in branches):
        out["enum"] = enum
    return out


def operations(spec):
    result = {}
    for name, (path, method) in SERVED.items():
        op = spec["paths"][path][method]
        params = {}
        for p in op.get("parameters", []):
            if p["in"] == "query":
                params[p["name"]] = describe(spec, p["schema"])
        body = op.get("requestBody", {}).get("content", {}).get("application/x-www-form-urlencoded", {}).get("schema")
        for prop, schema in (resolve(spec, body) or {}).get("properties", {}).items():
            params[prop] = describe(spec, schema)
        result[name] = dict(sorted(params.items()))
    return result


def objects(fixtures):
    r = fixtures["resources"]
    customer = dict(r["customer"])
    customer.update({"currency": None, "discount": None, "shipping": None, "address": None,
                     "invoice_prefix": "7FE1103", "id": "cus_QXg1o8vcGmoR32", "created": 1721954054})

    line = dict(r["invoice"]["lines"]["data"][0])
    line.update({
        "subtotal": 1000,
        "period": {"end": 1724632454, "start": 1721954054},
        "parent": {"type": "subscription_item_details", "invoice_item_details": None,
                   "subscription_item_details": {"invoice_item": None, "proration": False,
                                                 "proration_details": {"credited_items": None},
                                                 "subscription": "sub_1Pgc6rB7WZ01zgkWNy0Cn5nw",
                                                 "subscription_item": "si_QXhVnC2h0Jczwc"}},
        "pricing": {"type": "price_details", "price_details": {"price": "price_1PgafmB7WZ01zgkW6dKueIc5",
                                                               "product": "prod_QXg1hqf4jFNsqG"},
                    "unit_amount_decimal": "1000"},
        "pretax_credit_amounts": [], "taxes": [],
        # Required by the 2023-08-16 spec, gone since 2025-03-31.basil (now under parent).
        "proration": False, "type": "subscription",
    })

    invoice = dict(r["invoice"])
    invoice.update({
        "id": "in_1Pgc6tB7WZ01zgkWu9fdqL6I", "created": 1721954054, "billing_reason": "subscription_cycle",
        "auto_advance": True, "customer_shipping": None, "shipping_details": None, "shipping_cost": None,
        "from_invoice": None, "last_finalization_error": None, "amount_overpaid": 0, "webhooks_delivered_at": 1721954055,
        "due_date": None, "effective_at": 1721954054, "period_end": 1721954054, "period_start": 1719275654,
        "total_taxes": [], "total_pretax_credit_amounts": [],
        "automatic_tax": {"enabled": False, "liability": None, "status": None, "disabled_reason": None, "provider": None},
        "parent": None,
        "lines": {"object": "list", "data": [line], "has_more": False, "url": "/v1/invoices/in_1Pgc6tB7WZ01zgkWu9fdqL6I/lines"},
        # Required by the 2023-08-16 spec, gone since 2025-03-31.basil: paid (status == paid), paid_out_of_band,
        # total_tax_amounts (now total_taxes); and the nullable fields that spec declares that basil moved under parent or
        # payments: subscription, subscription_details, payment_intent, charge, discount, quote, tax.
        "paid": False, "paid_out_of_band": False, "total_tax_amounts": [],
        "subscription": None, "subscription_details": None, "payment_intent": None, "charge": None,
        "discount": None, "quote": None, "tax": None, "application_fee_amount": None, "rendering_options": None,
        "transfer_data": None,
    })
    invoice = dict(sorted(invoice.items()))

    item = dict(r["subscription"]["items"]["data"][0])
    item.pop("plan", None)  # a legacy plan object, not set on a price-based item
    item.update({"created": 1721954054, "current_period_start": 1721954054, "current_period_end": 1724632454,
                 "billing_thresholds": None})
    price = dict(item["price"])
    price["transform_quantity"] = None
    price["custom_unit_amount"] = None
    item["price"] = price

    subscription = dict(r["subscription"])
    subscription.update({
        "created": 1721954054, "start_date": 1721954054, "billing_cycle_anchor": 1721954054,
        "billing_cycle_anchor_config": None, "cancel_at": None, "canceled_at": None, "ended_at": None,
        "cancel_at_period_end": False, "next_pending_invoice_item_invoice": None, "pause_collection": None,
        "pending_invoice_item_interval": None, "pending_update": None, "transfer_data": None,
        "trial_end": None, "trial_start": None, "billing_thresholds": None, "billing_schedules": [],
        "managed_payments": {"enabled": False},
        "automatic_tax": {"enabled": False, "liability": None, "disabled_reason": None},
        "items": {"object": "list", "data": [item], "has_more": False,
                  "url": "/v1/subscription_items?subscription=sub_1Pgc6rB7WZ01zgkWNy0Cn5nw"},
        # Required by the 2023-08-16 spec, moved to the items by 2025-03-31.basil.
        "current_period_start": 1721954054, "current_period_end": 1724632454, "discount": None,
    })
    subscription = dict(sorted(subscription.items()))

    payment_intent = dict(r["payment_intent"])
    payment_intent.update({
        "amount_details": {"tip": {}}, "automatic_payment_methods": None, "canceled_at": None,
        "last_payment_error": None, "next_action": None, "processing": None, "shipping": None, "transfer_data": None,
        "payment_method_configuration_details": None, "managed_payments": {"enabled": False},
        "created": 1721954054, "payment_method_options": {"card": {"installments": None, "mandate_options": None,
                                                                   "network": None, "request_three_d_secure": "automatic"}},
        # Declared by the 2023-08-16 spec; moved to the invoice's payments by basil.
        "invoice": None,
    })

    event = dict(r["event"])
    event.update({"api_version": "2026-07-29.dahlia", "data": {"object": {}}})
    return {"customer": customer, "invoice": invoice, "line_item": line, "subscription": subscription,
            "subscription_item": item, "payment_intent": payment_intent, "event": event, "price": price}


def expandable(spec):
    """Every schema's x-expandableFields, each mapped to the object type it expands to (null when not one schema)."""
    schemas = spec["components"]["schemas"]
    out = {}
    for name, schema in sorted(schemas.items()):
        fields = schema.get("x-expandableFields") or []
        if not fields:
            continue
        targets = {}
        for field in fields:
            prop = schema.get("properties", {}).get(field, {})
            refs = [b["$ref"].split("/")[-1] for b in prop.get("anyOf", []) + [prop] if "$ref" in b]
            refs = [r for r in refs if not r.startswith("deleted_")]
            targets[field] = refs[0] if len(refs) == 1 else None
        out[name] = targets
    return out


def main(spec_path, fixtures_path, out_path):
    spec = json.load(open(spec_path, encoding="utf-8"))
    fixtures = json.load(open(fixtures_path, encoding="utf-8"))
    out = {
        "source": {
            "repository": "https://github.com/stripe/openapi", "licence": "MIT",
            "spec": "openapi/spec3.yaml @ 63a674638635c68de26b9f3add13e58198f4df44 (API %s)" % spec["info"]["version"],
            "fixtures": "openapi/fixtures3.json @ f6c2a48fbac2819d1feba8143d942ffc65e1c0d2 (2026-08-21)",
            "made_by": "tools/stripe-simulator-objects.py",
        },
        "objects": objects(fixtures),
        "operations": operations(spec),
        "expandable": expandable(spec),
    }
    with open(out_path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
