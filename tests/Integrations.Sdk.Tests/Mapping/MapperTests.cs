using System.Text.Json.Serialization;
using Integrations.Sdk.Mapping;

namespace Integrations.Sdk.Tests.Mapping;

public sealed class MapperTests
{
    public sealed record Customer(string? Email, Address? Address);

    public sealed record Address(string? City);

    public sealed record ShopOrder([property: JsonPropertyName("order_number")] int Number, Customer? Customer, long TotalCents, string? Note);

    public sealed class Invoice
    {
        [JsonPropertyName("BillEmail")]
        public string? Email { get; set; }

        public string? City { get; set; }

        public decimal Amount { get; set; }

        public string? DocNumber { get; set; }

        public string Source { get; set; } = "";

        public string? Memo { get; set; }
    }

    private static readonly Mapper<ShopOrder, Invoice> Map = Mapper.Create<ShopOrder, Invoice>(m => m
        .Field(t => t.Email, s => s.Customer!.Email).Required()
        .Field(t => t.City, s => s.Customer!.Address!.City)
        .Field(t => t.Amount, s => s.TotalCents, "cents to decimal", c => c / 100m)
        .Field(t => t.DocNumber, s => s.Number, "prefix SO-", n => $"SO-{n}")
        .Field(t => t.Memo, s => s.Note, "must be short", n => n!.Length <= 10 ? n : throw new FormatException("note longer than 10 characters"))
        .Constant(t => t.Source, "shopify"));

    [Fact]
    public void Map_CompleteRecord_FillsEveryField()
    {
        var invoice = Map.Map(new ShopOrder(1001, new Customer("a@b.com", new Address("Oslo")), 12345, "gift"));

        invoice.Email.Should().Be("a@b.com");
        invoice.City.Should().Be("Oslo");
        invoice.Amount.Should().Be(123.45m);
        invoice.DocNumber.Should().Be("SO-1001");
        invoice.Source.Should().Be("shopify");
        invoice.Memo.Should().Be("gift");
    }

    [Fact]
    public void Map_MissingOptionalParent_LeavesFieldUnset()
    {
        var invoice = Map.Map(new ShopOrder(1, new Customer("a@b.com", null), 100, null));

        invoice.City.Should().BeNull();
        invoice.Memo.Should().BeNull();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Map_MissingRequiredField_ThrowsNamingTheFieldPath(bool nullParent)
    {
        var order = new ShopOrder(1, nullParent ? null : new Customer("  ", null), 100, null);

        var act = () => Map.Map(order);

        var error = act.Should().Throw<MappingValidationException>().Which;
        error.Errors.Should().ContainSingle().Which.Should().Be(new MappingError("Customer.Email", "BillEmail", "required value is missing"));
        error.Message.Should().Contain("Customer.Email");
    }

    [Fact]
    public void Map_FailingTransform_ReportsTheTransformAndField_AlongWithOtherErrors()
    {
        var act = () => Map.Map(new ShopOrder(1, null, 100, "this note is far too long"));

        var errors = act.Should().Throw<MappingValidationException>().Which.Errors;
        errors.Select(e => e.SourcePath).Should().Equal("Customer.Email", "Note");
        errors[1].Message.Should().Be("transform 'must be short' failed: note longer than 10 characters");
    }

    [Fact]
    public void Description_ListsEveryFieldWithJsonNamesAndTransforms()
    {
        Map.Description.Fields.Should().Equal(
            new FieldMapping("Customer.Email", "BillEmail", null, true),
            new FieldMapping("Customer.Address.City", "City", null, false),
            new FieldMapping("TotalCents", "Amount", "cents to decimal", false),
            new FieldMapping("order_number", "DocNumber", "prefix SO-", false),
            new FieldMapping("Note", "Memo", "must be short", false),
            new FieldMapping("(constant)", "Source", "constant shopify", false));
        Map.Description.ToMarkdown().Should().Contain("| `Customer.Email` | `BillEmail` |  | yes |");
    }

    [Fact]
    public void Create_TargetThatIsNotASettableProperty_IsRejected()
    {
        var act = () => Mapper.Create<ShopOrder, Invoice>(m => m.Field(t => t.Amount + 1, s => s.TotalCents / 100m));

        act.Should().Throw<ArgumentException>().WithMessage("*settable property of Invoice*");
    }

    [Fact]
    public void Required_WithoutAField_IsRejected()
    {
        var act = () => Mapper.Create<ShopOrder, Invoice>(m => m.Required());

        act.Should().Throw<InvalidOperationException>();
    }
}
