// COMPILE-ONLY STAND-INS for the issue 15 contract (ISSUE15-CONTRACT.md): the Salesforce connector, the Mailchimp
// Marketing connector, their simulators and the HubSpot simulator's deal seeding are built on other branches. Each
// member below has exactly the contract's name and signature and throws NotImplementedException; nothing depends on
// their behaviour. This file is deleted when the real types are merged.
#pragma warning disable CA1822, IDE0060, RCS1163, S1186, MA0025 // stand-ins: no state, unused parameters, not implemented

namespace Integrations.Sdk.Salesforce
{
    using Integrations.Sdk.Connectors;
    using Integrations.Sdk.Crm;

    /// <summary>Stand-in for the Salesforce connector (contract).</summary>
    public sealed class SalesforceConnector : ICrmConnector
    {
        /// <summary>The connector's name.</summary>
        public const string ConnectorName = "salesforce";

        /// <inheritdoc />
        public string Platform => throw new NotImplementedException();

        /// <inheritdoc />
        public IRecordSource<CrmDeal> Deals => throw new NotImplementedException();

        /// <inheritdoc />
        public Task<CrmDeal?> GetDealAsync(string dealId, CancellationToken cancellationToken = default) => throw new NotImplementedException();

        /// <inheritdoc />
        public Task<IReadOnlyList<CrmContact>> GetDealContactsAsync(string dealId, CancellationToken cancellationToken = default) => throw new NotImplementedException();

        /// <inheritdoc />
        public Task<IReadOnlyList<CrmPipeline>> GetPipelinesAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

        /// <inheritdoc />
        public bool TryGetDealId(WebhookEvent webhookEvent, out string dealId) => throw new NotImplementedException();
    }

    /// <summary>Stand-in (contract).</summary>
    public enum SalesforceAuthFlow
    {
        /// <summary>OAuth 2.0 JWT bearer.</summary>
        JwtBearer,

        /// <summary>OAuth 2.0 client credentials.</summary>
        ClientCredentials,
    }

    /// <summary>Stand-in for the Salesforce options (contract).</summary>
    public sealed class SalesforceOptions
    {
        /// <summary>Login URL.</summary>
        public Uri LoginUrl { get; set; } = new("https://login.salesforce.com/");

        /// <summary>The OAuth flow.</summary>
        public SalesforceAuthFlow Flow { get; set; }

        /// <summary>The connected app's consumer key.</summary>
        public string ClientId { get; set; } = "";

        /// <summary>The consumer secret.</summary>
        public string? ClientSecret { get; set; }

        /// <summary>The user (JWT bearer).</summary>
        public string? Username { get; set; }

        /// <summary>The private key (JWT bearer).</summary>
        public string? PrivateKeyPem { get; set; }

        /// <summary>The API version.</summary>
        public string ApiVersion { get; set; } = "v67.0";

        /// <summary>The instance URL.</summary>
        public Uri? InstanceUrl { get; set; }

        /// <summary>The organization id.</summary>
        public string? OrganizationId { get; set; }
    }

    /// <summary>Stand-in registration (contract).</summary>
    public static class SalesforceIntegrationsBuilderExtensions
    {
        /// <summary>Adds the Salesforce connector.</summary>
        public static IIntegrationsBuilder AddSalesforce(this IIntegrationsBuilder builder, Action<SalesforceOptions> configure) => throw new NotImplementedException();
    }
}

namespace Integrations.Sdk.MailchimpMarketing
{
    using Integrations.Sdk.Connectors;
    using Integrations.Sdk.MailchimpMarketing.Models;

    /// <summary>Stand-in for the Mailchimp Marketing connector (contract).</summary>
    public sealed class MailchimpMarketingConnector
    {
        /// <summary>The connector's name.</summary>
        public const string ConnectorName = "mailchimp-marketing";

        /// <summary>Member upsert (natural upsert).</summary>
        public ISinkOperation<MemberUpsert, MailchimpMember> UpsertMember => throw new NotImplementedException();

        /// <summary>Tags (natural upsert).</summary>
        public ISinkOperation<MemberTagsUpdate, MemberTagsUpdate> UpdateTags => throw new NotImplementedException();

        /// <summary>Journey trigger (unsafe).</summary>
        public ISinkOperation<JourneyTrigger, JourneyTriggerResult> TriggerJourney => throw new NotImplementedException();
    }

    /// <summary>Stand-in for the Mailchimp Marketing options (contract).</summary>
    public sealed class MailchimpMarketingOptions
    {
        /// <summary>The API key, <c>key-dc</c>.</summary>
        public string? ApiKey { get; set; }

        /// <summary>An OAuth token.</summary>
        public string? AccessToken { get; set; }

        /// <summary>The data centre (OAuth).</summary>
        public string? DataCenter { get; set; }

        /// <summary>The base address override.</summary>
        public Uri? BaseAddress { get; set; }

        /// <summary>The connection limit.</summary>
        public int MaxConnections { get; set; } = 10;

        /// <summary>The webhook secret.</summary>
        public string? WebhookSecret { get; set; }
    }

    /// <summary>Stand-in registration (contract).</summary>
    public static class MailchimpMarketingIntegrationsBuilderExtensions
    {
        /// <summary>Adds the Mailchimp Marketing connector.</summary>
        public static IIntegrationsBuilder AddMailchimpMarketing(this IIntegrationsBuilder builder, Action<MailchimpMarketingOptions> configure) => throw new NotImplementedException();
    }
}

namespace Integrations.Sdk.Testing.Salesforce
{
    using Integrations.Sdk.Testing.Crm;
    using Microsoft.AspNetCore.Routing;

    /// <summary>Stand-in for the Salesforce simulator (contract; constructor assumed like the HubSpot simulator's).</summary>
    public sealed class SalesforceSimulator : SimulatorHost
    {
        /// <summary>Creates the simulator.</summary>
        public SalesforceSimulator(TimeProvider? timeProvider = null, int seed = 0)
            : base(timeProvider, seed) => throw new NotImplementedException();

        /// <inheritdoc />
        public override string Platform => "salesforce";

        /// <summary>Client id.</summary>
        public string ClientId { get => throw new NotImplementedException(); set => throw new NotImplementedException(); }

        /// <summary>Client secret.</summary>
        public string ClientSecret { get => throw new NotImplementedException(); set => throw new NotImplementedException(); }

        /// <summary>JWT public key.</summary>
        public string? JwtPublicKeyPem { get => throw new NotImplementedException(); set => throw new NotImplementedException(); }

        /// <summary>User name.</summary>
        public string Username { get => throw new NotImplementedException(); set => throw new NotImplementedException(); }

        /// <summary>Organization id.</summary>
        public string OrganizationId => throw new NotImplementedException();

        /// <summary>Deals.</summary>
        public int DealCount => throw new NotImplementedException();

        /// <summary>Seeds a deal.</summary>
        public string AddDeal(SimulatedDeal deal) => throw new NotImplementedException();

        /// <summary>Moves a deal.</summary>
        public void SetDealOutcome(string dealId, SimulatedDealOutcome outcome) => throw new NotImplementedException();

        /// <inheritdoc />
        protected override void MapEndpoints(IEndpointRouteBuilder endpoints) => throw new NotImplementedException();
    }
}

namespace Integrations.Sdk.Testing.MailchimpMarketing
{
    using Microsoft.AspNetCore.Routing;

    /// <summary>Stand-in for the Mailchimp Marketing simulator (contract; constructor assumed like the HubSpot simulator's).</summary>
    public sealed class MailchimpMarketingSimulator : SimulatorHost
    {
        /// <summary>Creates the simulator.</summary>
        public MailchimpMarketingSimulator(TimeProvider? timeProvider = null, int seed = 0)
            : base(timeProvider, seed) => throw new NotImplementedException();

        /// <inheritdoc />
        public override string Platform => "mailchimp-marketing";

        /// <summary>API key.</summary>
        public string ApiKey { get => throw new NotImplementedException(); set => throw new NotImplementedException(); }

        /// <summary>OAuth token.</summary>
        public string AccessToken { get => throw new NotImplementedException(); set => throw new NotImplementedException(); }

        /// <summary>Members.</summary>
        public int MemberCount => throw new NotImplementedException();

        /// <summary>Journey entries.</summary>
        public int JourneyEntries => throw new NotImplementedException();

        /// <summary>Duplicate journey entries.</summary>
        public int DuplicateJourneyEntries => throw new NotImplementedException();

        /// <summary>Adds a list.</summary>
        public void AddList(string listId, string name) => throw new NotImplementedException();

        /// <summary>Adds a merge field.</summary>
        public void AddMergeField(string listId, string tag, string type = "text") => throw new NotImplementedException();

        /// <summary>Adds a journey.</summary>
        public void AddJourney(string journeyId, string stepId, string listId) => throw new NotImplementedException();

        /// <summary>Members with a tag.</summary>
        public int TaggedCount(string tag) => throw new NotImplementedException();

        /// <summary>Contacts entered at a journey step.</summary>
        public IReadOnlyCollection<string> JourneyContacts(string journeyId, string stepId) => throw new NotImplementedException();

        /// <inheritdoc />
        protected override void MapEndpoints(IEndpointRouteBuilder endpoints) => throw new NotImplementedException();
    }
}

namespace Integrations.Sdk.Testing.HubSpot
{
    using Integrations.Sdk.Testing.Crm;

    /// <summary>Stand-ins for the HubSpot simulator's deal seeding (contract: instance members there).</summary>
    public static class HubSpotSimulatorDealStubs
    {
        extension(HubSpotSimulator simulator)
        {
            /// <summary>Deals.</summary>
            public int DealCount => throw new NotImplementedException();

            /// <summary>Seeds a deal.</summary>
            public string AddDeal(SimulatedDeal deal) => throw new NotImplementedException();

            /// <summary>Moves a deal.</summary>
            public void SetDealOutcome(string dealId, SimulatedDealOutcome outcome) => throw new NotImplementedException();
        }
    }
}
