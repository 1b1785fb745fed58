using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using ClosedWonOnboarding;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Connectors.Kit;
using Integrations.Sdk.Crm;
using Integrations.Sdk.MailchimpMarketing.Models;
using Integrations.Sdk.Testing.Crm;
using Integrations.Sdk.Transport;

namespace Integrations.Sdk.EndToEnd.Tests.Crm;

/// <summary>
/// An in-memory CRM behind <see cref="ICrmConnector"/>: every change of a deal is appended to a change feed; the
/// checkpoint is the position after the last change given. <see cref="Overlap"/> re-reads that many changes before the
/// checkpoint (duplicates in the feed, as a stamp-based feed with overlap gives them).
/// </summary>
internal sealed class FakeCrm : ICrmConnector, IScenarioCrm
{
    public const string Name = "fakecrm";

    private readonly Lock _gate = new();
    private readonly List<CrmDeal> _feed = [];
    private readonly Dictionary<string, CrmDeal> _deals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<CrmContact>> _dealContacts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CrmContact> _contactsByEmail = new(StringComparer.OrdinalIgnoreCase);
    private int _lastId = 100;
    private DateTimeOffset _now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public string Platform => Name;

    /// <summary>Changes before the checkpoint read again on every read.</summary>
    public int Overlap { get; set; }

    /// <summary>The next contacts reads that fail (retryable, after the connector's own retries).</summary>
    public int FailContactsReads { get; set; }

    public int ContactsReads { get; private set; }

    public IRecordSource<CrmDeal> Deals => RecordSource.Create(ReadAsync);

    public string AddDeal(SimulatedDeal deal)
    {
        ArgumentNullException.ThrowIfNull(deal);
        lock (_gate)
        {
            var id = (++_lastId).ToString(CultureInfo.InvariantCulture);
            var contacts = deal.Contacts.Select((c, i) =>
            {
                var contact = c.Email is { } email && _contactsByEmail.TryGetValue(email, out var known)
                    ? known
                    : new CrmContact { Id = $"c{++_lastId}", Email = c.Email, FirstName = c.FirstName, LastName = c.LastName };
                if (c.Email is not null)
                {
                    _contactsByEmail[c.Email] = contact;
                }

                return contact with { IsPrimary = i == 0 };
            }).ToList();
            _dealContacts[id] = contacts;
            Append(new CrmDeal
            {
                Id = id,
                Name = deal.Name,
                PipelineId = deal.Pipeline == 0 ? "default" : "pipeline-1",
                StageId = "appointmentscheduled",
                Outcome = CrmDealOutcome.Open,
                Amount = deal.Amount,
                CompanyName = deal.Company,
                OwnerName = deal.Owner,
                LastModified = _now,
            });
            return id;
        }
    }

    public void SetDealOutcome(string dealId, SimulatedDealOutcome outcome)
    {
        lock (_gate)
        {
            var deal = _deals[dealId];
            var pipeline1 = deal.PipelineId == "pipeline-1";
            Append(deal with
            {
                Outcome = outcome switch { SimulatedDealOutcome.Won => CrmDealOutcome.Won, SimulatedDealOutcome.Lost => CrmDealOutcome.Lost, _ => CrmDealOutcome.Open },
                StageId = outcome switch { SimulatedDealOutcome.Won => pipeline1 ? "81234567" : "closedwon", SimulatedDealOutcome.Lost => "closedlost", _ => "appointmentscheduled" },
                StageLabel = outcome == SimulatedDealOutcome.Won && pipeline1 ? "Signed" : null,
                LastModified = _now,
            });
        }
    }

    /// <summary>Moves the feed's clock on (changes made before share one stamp).</summary>
    public void Tick() => _now = _now.AddMinutes(5);

    /// <summary>Adds a contact to an existing deal.</summary>
    public void AddContact(string dealId, string first, string last, string? email)
    {
        lock (_gate)
        {
            _dealContacts[dealId].Add(new CrmContact { Id = $"c{++_lastId}", Email = email, FirstName = first, LastName = last });
        }
    }

    public Task<CrmDeal?> GetDealAsync(string dealId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_deals.GetValueOrDefault(dealId));
        }
    }

    public Task<IReadOnlyList<CrmContact>> GetDealContactsAsync(string dealId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ContactsReads++;
            if (FailContactsReads > 0)
            {
                FailContactsReads--;
                throw new PlatformException(Name, HttpStatusCode.ServiceUnavailable, "unavailable", "the CRM is down", isRetryable: true, mayHaveBeenApplied: false);
            }

            return Task.FromResult<IReadOnlyList<CrmContact>>([.. _dealContacts[dealId]]);
        }
    }

    public Task<IReadOnlyList<CrmPipeline>> GetPipelinesAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<CrmPipeline>>([]);

    public bool TryGetDealId(WebhookEvent webhookEvent, out string dealId)
    {
        dealId = "";
        return false;
    }

    private void Append(CrmDeal deal)
    {
        _deals[deal.Id] = deal;
        _feed.Add(deal);
    }

    private async IAsyncEnumerable<SourceRecord<CrmDeal>> ReadAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        var start = checkpoint is null ? 0 : Math.Max(0, int.Parse(checkpoint, CultureInfo.InvariantCulture) - Overlap);
        List<CrmDeal> feed;
        lock (_gate)
        {
            feed = [.. _feed];
        }

        for (var i = start; i < feed.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new SourceRecord<CrmDeal>(feed[i], (i + 1).ToString(CultureInfo.InvariantCulture));
        }
    }
}

/// <summary>An in-memory Mailchimp audience and journey behind the three sink operations the sync uses.</summary>
internal sealed class FakeMailchimp
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, MemberUpsert> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _tags = new(StringComparer.Ordinal);
    private readonly List<string> _journey = [];

    /// <summary>The next journey triggers that enter the contact and then lose the answer (an unknown outcome).</summary>
    public int CommitThenDropTriggers { get; set; }

    public int TriggerCalls { get; private set; }

    public IReadOnlyDictionary<string, MemberUpsert> Members
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, MemberUpsert>(_members, StringComparer.Ordinal);
            }
        }
    }

    public IReadOnlyList<string> JourneyEntries
    {
        get
        {
            lock (_gate)
            {
                return [.. _journey];
            }
        }
    }

    public int Duplicates => JourneyEntries.GroupBy(e => e, StringComparer.Ordinal).Sum(g => g.Count() - 1);

    public int Tagged(string tag)
    {
        lock (_gate)
        {
            return _tags.Count(t => t.Value.Contains(tag));
        }
    }

    public OnboardingOperations Operations => new(
        SinkOperation.NaturalUpsert<MemberUpsert, MailchimpMember>((m, _) =>
        {
            lock (_gate)
            {
                var key = m.Email.ToLowerInvariant();
                _members[key] = m;
                return Task.FromResult(new MailchimpMember { EmailAddress = key, ListId = m.ListId, Status = "subscribed" });
            }
        }),
        SinkOperation.NaturalUpsert<MemberTagsUpdate, MemberTagsUpdate>((t, _) =>
        {
            lock (_gate)
            {
                var key = t.Email.ToLowerInvariant();
                if (!_members.ContainsKey(key))
                {
                    throw new PlatformException("mailchimp-marketing", HttpStatusCode.NotFound, "Resource Not Found", $"no member {key}");
                }

                if (!_tags.TryGetValue(key, out var tags))
                {
                    _tags[key] = tags = new HashSet<string>(StringComparer.Ordinal);
                }

                tags.UnionWith(t.Active);
                return Task.FromResult(t);
            }
        }),
        SinkOperation.Unsafe<JourneyTrigger, JourneyTriggerResult>((j, _, _) =>
        {
            lock (_gate)
            {
                TriggerCalls++;
                _journey.Add(j.Email.ToLowerInvariant());
                if (CommitThenDropTriggers > 0)
                {
                    CommitThenDropTriggers--;
                    throw new PlatformException("mailchimp-marketing", null, "connection_dropped", "the connection was closed before the answer", isRetryable: true, mayHaveBeenApplied: true);
                }

                return Task.FromResult(new JourneyTriggerResult(j.Email, AlreadyInJourney: false));
            }
        }));
}
