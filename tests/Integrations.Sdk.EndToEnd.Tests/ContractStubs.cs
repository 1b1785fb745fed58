// TEMPORARY: stand-ins for what other lanes of issue 14 build, for this test project. DELETE AT MERGE.
// None is needed here: the tests compile against the sample's ContractStubs.cs (public, in the simulators' and
// Integrations.Sdk.Books namespaces), which the merge deletes together with this file. Listed for the merge:
//   STUB (lane 1) QuickBooksSimulator books members   STUB (lane 2) XeroSimulator books members, XeroOptions.TrackingCategory
//   STUB (lane 3) ShopifySimulator AddSale/AddRefund/StockOf/AddProduct(productType)
//   STUB (lane 4) WooCommerceSimulator AddSale/AddRefund/StockOf/AddProduct(productType)/SaveAsync/LoadAsync
//   STUB (lane 5a) BooksPostingRules, TaxCodeRule, CategoryRule, OrdersToBooks
// Not stubbable at compile time, needed at run time: the keyed IStoreConnector / IBooksConnector registrations
// (lanes 1-4) that the model tests resolve.
namespace Integrations.Sdk.EndToEnd.Tests;
