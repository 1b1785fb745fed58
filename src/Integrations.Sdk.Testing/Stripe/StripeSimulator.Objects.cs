using Microsoft.AspNetCore.Http;

namespace Integrations.Sdk.Testing.Stripe;

/// <summary>
/// The objects the simulator answers with: each starts from Stripe's example object of its type
/// (<see cref="StripeSpecData.Template"/>, every field Stripe sends) and carries the simulator's state on top.
/// </summary>
public sealed partial class StripeSimulator
{
    private JsonObject NewCustomer(string? email, string? name)
    {
        var customer = StripeSpecData.Template("customer");
        var id = NewId("cus");
        customer["id"] = id;
        customer["created"] = Now();
        customer["email"] = email;
        customer["name"] = name;
        customer["invoice_prefix"] = string.Create(CultureInfo.InvariantCulture, $"{_nextId:X8}");
        customer["next_invoice_sequence"] = 1;
        customer["livemode"] = false;
        return customer;
    }

    private JsonObject NewSubscription(string customerId, string status, string currency)
    {
        var subscription = StripeSpecData.Template("subscription");
        var id = NewId("sub");
        var now = Time.GetUtcNow();
        var start = now.ToUnixTimeSeconds();
        var end = now.AddMonths(1).ToUnixTimeSeconds();
        subscription["id"] = id;
        subscription["created"] = start;
        subscription["start_date"] = start;
        subscription["billing_cycle_anchor"] = start;
        subscription["current_period_start"] = start;
        subscription["current_period_end"] = end;
        subscription["currency"] = currency;
        subscription["customer"] = customerId;
        subscription["latest_invoice"] = null;
        subscription["metadata"] = new JsonObject();
        subscription["status"] = status;
        if (status == "canceled")
        {
            subscription["canceled_at"] = start;
            subscription["ended_at"] = start;
            subscription["cancellation_details"] = new JsonObject { ["comment"] = null, ["feedback"] = null, ["reason"] = "cancellation_requested" };
        }

        var item = StripeSpecData.Template("subscription_item");
        item["id"] = NewId("si");
        item["created"] = start;
        item["current_period_start"] = start;
        item["current_period_end"] = end;
        item["subscription"] = id;
        item["price"]!["currency"] = currency;
        subscription["items"] = new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(item),
            ["has_more"] = false,
            ["url"] = "/v1/subscription_items?subscription=" + id,
        };
        return subscription;
    }

    private JsonObject NewInvoice(JsonObject customer, long amountDue, string currency, JsonObject? subscription, string status, string paymentIntentId)
    {
        var invoice = StripeSpecData.Template("invoice");
        var id = NewId("in");
        var now = Now();
        var paid = status == "paid";
        var customerId = Text(customer, "id")!;
        var subscriptionId = subscription is null ? null : Text(subscription, "id");
        var sequence = customer["next_invoice_sequence"]?.GetValue<int>() ?? 1;
        customer["next_invoice_sequence"] = sequence + 1;
        invoice["id"] = id;
        invoice["created"] = now;
        invoice["effective_at"] = now;
        invoice["webhooks_delivered_at"] = now;
        invoice["period_start"] = subscription?["current_period_start"]?.GetValue<long>() ?? now;
        invoice["period_end"] = subscription?["current_period_end"]?.GetValue<long>() ?? now;
        invoice["currency"] = currency;
        invoice["customer"] = customerId;
        invoice["customer_email"] = Text(customer, "email");
        invoice["customer_name"] = Text(customer, "name");
        invoice["customer_phone"] = Text(customer, "phone");
        invoice["customer_address"] = customer["address"]?.DeepClone();
        invoice["customer_shipping"] = customer["shipping"]?.DeepClone();
        invoice["customer_tax_exempt"] = Text(customer, "tax_exempt") ?? "none";
        invoice["amount_due"] = amountDue;
        invoice["amount_paid"] = paid ? amountDue : 0;
        invoice["amount_remaining"] = paid ? 0 : amountDue;
        invoice["subtotal"] = amountDue;
        invoice["subtotal_excluding_tax"] = amountDue;
        invoice["total"] = amountDue;
        invoice["total_excluding_tax"] = amountDue;
        invoice["attempt_count"] = paid ? 1 : 0;
        invoice["attempted"] = paid;
        invoice["auto_advance"] = !paid && status is "open" or "draft";
        invoice["billing_reason"] = subscriptionId is null ? "manual" : "subscription_cycle";
        invoice["due_date"] = null;
        invoice["ending_balance"] = status == "draft" ? null : 0;
        invoice["hosted_invoice_url"] = status == "draft" ? null : $"https://invoice.stripe.com/i/acct_simulator/test_{id}";
        invoice["invoice_pdf"] = status == "draft" ? null : $"https://pay.stripe.com/invoice/acct_simulator/test_{id}/pdf";
        invoice["metadata"] = new JsonObject();
        invoice["next_payment_attempt"] = null;
        invoice["number"] = status == "draft" ? null : string.Create(CultureInfo.InvariantCulture, $"{Text(customer, "invoice_prefix")}-{sequence:D4}");
        invoice["status"] = status;
        invoice["paid"] = paid;
        invoice["status_transitions"] = new JsonObject
        {
            ["finalized_at"] = status == "draft" ? null : now,
            ["marked_uncollectible_at"] = status == "uncollectible" ? now : null,
            ["paid_at"] = paid ? now : null,
            ["voided_at"] = status == "void" ? now : null,
        };
        invoice["payment_intent"] = status == "draft" ? null : paymentIntentId;
        invoice["subscription"] = subscriptionId;
        invoice["subscription_details"] = subscriptionId is null ? null : new JsonObject { ["metadata"] = new JsonObject() };
        invoice["parent"] = subscriptionId is null ? null : new JsonObject
        {
            ["type"] = "subscription_details",
            ["quote_details"] = null,
            ["subscription_details"] = new JsonObject { ["metadata"] = new JsonObject(), ["subscription"] = subscriptionId },
        };

        var line = StripeSpecData.Template("line_item");
        line["id"] = NewId("il");
        line["invoice"] = id;
        line["amount"] = amountDue;
        line["subtotal"] = amountDue;
        line["currency"] = currency;
        line["period"] = new JsonObject { ["start"] = invoice["period_start"]!.DeepClone(), ["end"] = invoice["period_end"]!.DeepClone() };
        line["subscription"] = subscriptionId;
        line["pricing"]!["unit_amount_decimal"] = amountDue.ToString(CultureInfo.InvariantCulture);
        if (subscription is not null)
        {
            var item = subscription["items"]!["data"]![0]!;
            line["description"] = "1 × Subscription (at " + amountDue.ToString(CultureInfo.InvariantCulture) + " " + currency + " / month)";
            line["type"] = "subscription";
            line["parent"]!["subscription_item_details"]!["subscription"] = subscriptionId;
            line["parent"]!["subscription_item_details"]!["subscription_item"] = Text(item, "id");
            line["pricing"]!["price_details"] = new JsonObject { ["price"] = Text(item["price"], "id"), ["product"] = Text(item["price"], "product") };
        }
        else
        {
            line["description"] = "Invoice item";
            line["type"] = "invoiceitem";
            line["parent"] = new JsonObject
            {
                ["type"] = "invoice_item_details",
                ["invoice_item_details"] = new JsonObject
                {
                    ["invoice_item"] = NewId("ii"),
                    ["proration"] = false,
                    ["proration_details"] = new JsonObject { ["credited_items"] = null },
                    ["subscription"] = null,
                },
                ["subscription_item_details"] = null,
            };
            line["pricing"] = new JsonObject { ["type"] = "price_details", ["price_details"] = null, ["unit_amount_decimal"] = amountDue.ToString(CultureInfo.InvariantCulture) };
        }

        invoice["lines"] = new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(line),
            ["has_more"] = false,
            ["url"] = $"/v1/invoices/{id}/lines",
        };
        return invoice;
    }

    private JsonObject NewPaymentIntent(string id, string customerId, string invoiceId, long amount, string currency, bool paid)
    {
        var intent = StripeSpecData.Template("payment_intent");
        intent["id"] = id;
        intent["client_secret"] = id + "_secret_" + Guid.NewGuid().ToString("N")[..24];
        intent["created"] = Now();
        intent["amount"] = amount;
        intent["amount_received"] = paid ? amount : 0;
        intent["currency"] = currency;
        intent["customer"] = customerId;
        intent["invoice"] = invoiceId;
        intent["description"] = "Payment for Invoice";
        intent["status"] = paid ? "succeeded" : "requires_payment_method";
        intent["metadata"] = new JsonObject();
        return intent;
    }

    private string RecordEvent(string type, JsonObject resource, JsonObject? previous, HttpContext? context)
    {
        var stripeEvent = StripeSpecData.Template("event");
        var data = new JsonObject { ["object"] = resource.DeepClone() };
        if (previous is not null)
        {
            data["previous_attributes"] = previous;
        }

        var id = NewId("evt");
        stripeEvent["id"] = id;
        stripeEvent["api_version"] = ApiVersion;
        stripeEvent["created"] = Now();
        stripeEvent["data"] = data;
        stripeEvent["livemode"] = false;
        stripeEvent["pending_webhooks"] = 1;
        stripeEvent["request"] = new JsonObject
        {
            ["id"] = context?.Response.Headers["Request-Id"].ToString(),
            ["idempotency_key"] = context?.Request.Headers["Idempotency-Key"].FirstOrDefault(),
        };
        stripeEvent["type"] = type;
        _events[id] = new Stored(++_sequence, stripeEvent);
        return id;
    }
}
