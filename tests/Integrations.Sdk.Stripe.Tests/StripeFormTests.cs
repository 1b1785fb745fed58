using Integrations.Sdk.Stripe.Internal;

namespace Integrations.Sdk.Stripe.Tests;

public sealed class StripeFormTests
{
    [Fact]
    public void Encode_NestsDictionariesAndListsWithBrackets()
    {
        var form = StripeForm.Encode(
        [
            new("customer", "cus_123"),
            new("metadata", new Dictionary<string, string?> { ["order"] = "1001", ["source"] = "shop" }),
            new("items", new object[]
            {
                new Dictionary<string, object?> { ["price"] = "price_A", ["quantity"] = 2 },
                new Dictionary<string, object?> { ["price"] = "price_B", ["quantity"] = 1 },
            }),
        ]);

        form.Should().Be("customer=cus_123&metadata[order]=1001&metadata[source]=shop&items[0][price]=price_A&items[0][quantity]=2&items[1][price]=price_B&items[1][quantity]=1");
    }

    [Fact]
    public void Encode_PercentEncodesValuesAndKeyPartsButKeepsBrackets()
    {
        var form = StripeForm.Encode(
        [
            new("name", "Pat O'Brien & Co"),
            new("description", "café 50% = ½"),
            new("metadata", new Dictionary<string, string?> { ["a key"] = "x+y" }),
        ]);

        form.Should().Be("name=Pat%20O%27Brien%20%26%20Co&description=caf%C3%A9%2050%25%20%3D%20%C2%BD&metadata[a%20key]=x%2By");
    }

    [Fact]
    public void Encode_WritesScalarsInvariantlyAndLeavesNullsOut()
    {
        var form = StripeForm.Encode(
        [
            new("amount", 1999L),
            new("rate", 1.5m),
            new("off_session", true),
            new("confirm", false),
            new("due_date", new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)),
            new("email", null),
            new("clear", string.Empty),
        ]);

        form.Should().Be("amount=1999&rate=1.5&off_session=true&confirm=false&due_date=1796083200&clear=");
    }

    [Fact]
    public void Encode_EmptyMetadataValue_IsSentEmptySoStripeRemovesTheKey()
    {
        StripeForm.Encode([new("metadata", new Dictionary<string, string?> { ["old"] = string.Empty, ["gone"] = null })])
            .Should().Be("metadata[old]=", "a null value is left out; an empty one clears the key");
    }

    [Fact]
    public void Encode_RefusesKeysWithBracketsAndUnencodableValues()
    {
        var bracket = () => StripeForm.Encode([new("metadata", new Dictionary<string, string?> { ["a[b]"] = "1" })]);
        var unknown = () => StripeForm.Encode([new("when", new object())]);

        bracket.Should().Throw<ArgumentException>().WithMessage("*metadata*a[b]*");
        unknown.Should().Throw<ArgumentException>().WithMessage("*'when'*Object*");
    }

    [Fact]
    public void Content_IsFormUrlEncodedUtf8()
    {
        using var content = StripeForm.Content([new("name", "x")]);

        content.Headers.ContentType!.MediaType.Should().Be("application/x-www-form-urlencoded");
        content.Headers.ContentType.CharSet.Should().Be("utf-8");
    }
}
