using Integrations.Sdk.Books;

namespace Integrations.Sdk.Tests.Categories;

/// <summary>The posting rules checked against the books: every id they name must exist there.</summary>
public sealed class BooksPostingRulesTests
{
    [Fact]
    public async Task CheckAgainstAsync_NamesEveryEntryWhoseIdTheBooksLack()
    {
        var books = new FakeBooks { Company = new() { Name = "Acme Ltd", HomeCurrency = "GBP" } };
        books.TaxCodes.AddRange([new BooksTaxCode("OUTPUT2", "20% (VAT on Income)", 0.2m), new BooksTaxCode("NONE", "No VAT", 0)]);
        books.Accounts.AddRange([new BooksAccount("200", "Sales", "REVENUE"), new BooksAccount("090", "Bank", "BANK")]);
        books.Classes.Add(new BooksClass("Online", "Online"));
        var rules = new BooksPostingRules { HomeCurrency = "USD", NoTaxCodeId = "NONE", ShippingAccountId = "260", PaymentAccountId = "090" };
        rules.TaxCodes.Add(new TaxCodeRule("OUTPUT2") { Rate = 0.2m });
        rules.TaxCodes.Add(new TaxCodeRule("TAX") { Title = "CA State Tax" });
        rules.Categories.Add(new CategoryRule { Channel = "web", ClassId = "Online", IncomeAccountId = "200" });
        rules.Categories.Add(new CategoryRule { Channel = "pos", ClassId = "Retail" });

        var problems = await rules.CheckAgainstAsync(books);

        problems.Should().Equal(
            "HomeCurrency is USD but the books of Acme Ltd keep GBP",
            "TaxCodes[1].TaxCodeId 'TAX' is not a tax code of the books (they have NONE, OUTPUT2)",
            "ShippingAccountId '260' is not an account of the books (they have 090, 200)",
            "Categories[1].ClassId 'Retail' is not a class of the books (they have Online)");
    }

    [Fact]
    public async Task CheckAgainstAsync_FindsNothingWhenEveryIdExists_AndReadsNoClassesWhenNoRuleSetsOne()
    {
        var books = new FakeBooks();
        books.TaxCodes.Add(new BooksTaxCode("TAX", "Tax", 0.0725m));
        books.Accounts.Add(new BooksAccount("4010", "Shirts", "Income"));
        var rules = new BooksPostingRules();
        rules.TaxCodes.Add(new TaxCodeRule("TAX") { Title = "CA State Tax" });
        rules.Categories.Add(new CategoryRule { ProductType = "Shirts", IncomeAccountId = "4010" });

        (await rules.CheckAgainstAsync(books)).Should().BeEmpty();
        books.ClassReads.Should().Be(0);
    }
}
