using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Pipeline;
using SafetyCheck.Core.Requests;
using SafetyCheck.Core.Json;
using SafetyCheck.Core.Validation;
using SafetyCheck.Fhir.Mapping;

namespace SafetyCheck.CdsHooks;

/// <summary>
/// The CDS Hooks 2.0 endpoints: <c>GET /cds-services</c> (discovery), <c>POST /cds-services/{id}</c> (a service call)
/// and <c>POST /cds-services/{id}/feedback</c>. Every call needs the client's signed JWT (<see cref="CdsTokenVerifier"/>;
/// else 401 with a JSON body saying why). A service call maps its hook context and FHIR data at this edge and hands each
/// planned session to the decision pipeline, which validates, decides and records it (caller: the token's issuer);
/// nothing is decided or recorded here. Answers:
/// <list type="bullet">
/// <item>200 with cards: decisions, and records the check could not use (a card says so, naming each problem);</item>
/// <item>400 with the fields at fault: a call that is not a well-formed CDS Hooks call for this service, or a body
/// (call or feedback) holding a string that is not Unicode text (<see cref="UnpairedSurrogates"/>), or feedback that
/// names anything but a card's uuid, an override reason the cards offer, and no suggestions (<see cref="FeedbackReader"/>);</item>
/// <item>412 with a card saying the check could not be made: FHIR data neither prefetched nor fetchable;</item>
/// <item>429 with <c>Retry-After</c>: the EHR is over its calls per second or its hook calls in progress
/// (<see cref="CdsCallLimiter"/>; checked once its token is verified, so nothing is decided or recorded);</item>
/// <item>503 with one card saying the check could not be made, and no verdict: no rule set served, or the audit trail
/// cannot record (for any session of the call: the cards of sessions decided before it are not sent).</item>
/// </list>
/// </summary>
internal sealed class CdsHooksHandler(
    IOptions<CdsHooksOptions> options,
    CdsTokenVerifier tokens,
    PatientDataSource data,
    CdsCards cards,
    DecisionPipeline pipeline,
    IRuleRevisionSource rules,
    FeedbackRecorder feedback,
    Pseudonymiser pseudonymiser,
    CdsCallLimiter limits,
    TimeProvider clock,
    ILogger<CdsHooksHandler> log)
{
    /// <summary>The path of discovery; services are below it.</summary>
    public const string Root = "/cds-services";

    // A member given twice is not JSON a FHIR or CDS Hooks reader may pick one of: refused whole, naming it.
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    /// <summary>The base URL calls are addressed to (<see cref="CdsHooksOptions.BaseUrl"/>, else the first listen address), without a trailing slash.</summary>
    public string BaseUrl => (options.Value.BaseUrl ?? (CdsHooksListener.Parse(options.Value.Urls).Urls is [var first, ..] ? first : "")).TrimEnd('/');

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path.Value ?? "";
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is not ["cds-services", ..] || segments.Length > 3 || (segments.Length == 3 && segments[2] != "feedback"))
        {
            await CdsJson.WriteErrorAsync(context.Response, StatusCodes.Status404NotFound, $"Not found: the CDS Hooks discovery endpoint is {Root}.").ConfigureAwait(false);
            return;
        }

        var service = segments.Length > 1 ? CdsServices.Find(segments[1]) : null;
        if (segments.Length > 1 && service is null)
        {
            await CdsJson.WriteErrorAsync(context.Response, StatusCodes.Status404NotFound, $"No CDS service has the id '{Markdown.Escape(segments[1])}': see {Root}.").ConfigureAwait(false);
            return;
        }

        var expected = segments.Length == 1 ? HttpMethods.Get : HttpMethods.Post;
        if (!string.Equals(context.Request.Method, expected, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Headers.Allow = expected;
            await CdsJson.WriteErrorAsync(context.Response, StatusCodes.Status405MethodNotAllowed, $"{path} answers {expected} only.").ConfigureAwait(false);
            return;
        }

        // The token is checked before the body is read: an unauthenticated caller costs no parsing.
        IReadOnlyList<string> audiences = segments.Length switch
        {
            1 => [BaseUrl + Root],
            2 => [$"{BaseUrl}{Root}/{service!.Id}"],
            _ => [$"{BaseUrl}{Root}/{service!.Id}/feedback", $"{BaseUrl}{Root}/{service!.Id}"],
        };
        var check = await tokens.VerifyAsync(context.Request, audiences, context.RequestAborted).ConfigureAwait(false);
        if (check.Client is not { } client)
        {
            CdsHooksLog.Refused(log, path, check.Status, check.Reason);
            if (check.Status == StatusCodes.Status401Unauthorized)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
            }

            await CdsJson.WriteAsync(context.Response, check.Status, new JsonObject { ["error"] = check.Status == StatusCodes.Status401Unauthorized ? "unauthorized" : "busy", ["reason"] = check.Reason }).ConfigureAwait(false);
            return;
        }

        // Discovery counts too: else an EHR could fill the replay cache, which every issuer shares, with discovery tokens.
        if (limits.Count(client.Issuer) is { } overRate)
        {
            await RefuseAsync(overRate).ConfigureAwait(false);
            return;
        }

        if (segments.Length == 1)
        {
            await CdsJson.WriteAsync(context.Response, StatusCodes.Status200OK, Discovery()).ConfigureAwait(false);
            return;
        }

        using var body = await ReadBodyAsync(context).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        if (segments.Length == 3)
        {
            await FeedbackAsync(context, service!, client, body.RootElement).ConfigureAwait(false);
            return;
        }

        // The slot is taken once the body is read, so a slow sender holds none, and kept until the answer is written.
        var busy = limits.Enter(client.Issuer, out var slot);
        using (slot)
        {
            if (busy is not null)
            {
                await RefuseAsync(busy).ConfigureAwait(false);
                return;
            }

            await CallAsync(context, service!, client, body.RootElement).ConfigureAwait(false);
        }

        // A refused call leaves no trace in the replay cache either (CdsTokenVerifier.Unused).
        Task RefuseAsync(CdsRefusal refusal)
        {
            tokens.Unused(check);
            return CdsJson.WriteRefusalAsync(context.Response, refusal);
        }
    }

    /// <summary>The discovery document: each service with its prefetch templates.</summary>
    public static JsonObject Discovery()
    {
        var services = new JsonArray();
        foreach (var service in CdsServices.All)
        {
            var prefetch = new JsonObject();
            foreach (var (key, template) in CdsServices.Prefetch)
            {
                prefetch[key] = template;
            }

            services.Add(new JsonObject
            {
                ["hook"] = service.Hook,
                ["title"] = service.Title,
                ["description"] = service.Description,
                ["id"] = service.Id,
                ["prefetch"] = prefetch,
                ["usageRequirements"] = service.UsageRequirements,
            });
        }

        return new JsonObject { ["services"] = services };
    }

    private async Task<JsonDocument?> ReadBodyAsync(HttpContext context)
    {
        if (UnreadableContent(context.Request) is { } unreadable415)
        {
            await CdsJson.WriteErrorAsync(context.Response, StatusCodes.Status415UnsupportedMediaType, unreadable415).ConfigureAwait(false);
            return null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = options.Value.MaxRequestBytes;
        }

        if (context.Request.ContentLength > options.Value.MaxRequestBytes)
        {
            await CdsJson.WriteErrorAsync(context.Response, StatusCodes.Status413PayloadTooLarge, $"The body is larger than {options.Value.MaxRequestBytes} bytes.").ConfigureAwait(false);
            return null;
        }

        try
        {
            // Read whole (it is at most MaxRequestBytes), so that it can be parsed again to find a member name that is not text.
            using var copy = new MemoryStream();
            await context.Request.Body.CopyToAsync(copy, context.RequestAborted).ConfigureAwait(false);

            // Checked whole, once, before any reader: System.Text.Json parses bytes that are not UTF-8 inside a string
            // and throws only when a reader reads that string.
            if (Utf8Body.Check(copy.GetBuffer().AsMemory(0, (int)copy.Length)) is { } notUtf8)
            {
                await CdsJson.WriteErrorAsync(context.Response, StatusCodes.Status400BadRequest, "The body is not UTF-8 text.", [notUtf8]).ConfigureAwait(false);
                return null;
            }

            var unreadable = new List<FieldViolation>();
            var document = UnpairedSurrogates.Parse(
                o =>
                {
                    copy.Position = 0;
                    return JsonDocument.Parse(copy, o);
                },
                DocumentOptions,
                unreadable);
            if (document is not null)
            {
                return document;
            }

            // Every reader after this one may take any string as text.
            await CdsJson.WriteErrorAsync(context.Response, StatusCodes.Status400BadRequest, "The body holds a string that is not Unicode text.", unreadable).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            await CdsJson.WriteErrorAsync(context.Response, StatusCodes.Status400BadRequest, "The body is not JSON.", [new FieldViolation("$", ex.Message)]).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await CdsJson.WriteErrorAsync(context.Response, StatusCodes.Status413PayloadTooLarge, $"The body is larger than {options.Value.MaxRequestBytes} bytes.").ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>
    /// Null when the body is declared as this service reads it: <c>application/json</c> or <c>application/fhir+json</c>,
    /// in UTF-8 (no charset, or utf-8), not encoded (no <c>Content-Encoding</c>, or identity); otherwise why not, for a
    /// 415. A body in another charset or compressed would otherwise be read as if it were UTF-8 JSON, or refused as "not JSON".
    /// </summary>
    private static string? UnreadableContent(HttpRequest request)
    {
        var encodings = request.Headers.ContentEncoding.ToString();
        if (encodings.Length > 0 && !encodings.Split(',').All(e => e.Trim().Equals("identity", StringComparison.OrdinalIgnoreCase)))
        {
            return $"The body's Content-Encoding '{Printable(encodings)}' is not one this service decodes: send the JSON unencoded.";
        }

        if (string.IsNullOrEmpty(request.ContentType))
        {
            return "The call has no Content-Type: send the body as application/json (UTF-8).";
        }

        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !(type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.MediaType.Equals("application/fhir+json", StringComparison.OrdinalIgnoreCase)))
        {
            return $"The Content-Type '{Printable(request.ContentType)}' is not JSON: send the body as application/json (or application/fhir+json), in UTF-8.";
        }

        // A parameter value may be a quoted string (RFC 9110 §5.6.6): charset="utf-8" is utf-8.
        var charset = Microsoft.Net.Http.Headers.HeaderUtilities.RemoveQuotes(type.Charset);
        if (type.Charset.HasValue && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return $"The charset '{Printable(charset.Value)}' is not UTF-8: CDS Hooks bodies are JSON in UTF-8.";
        }

        return null;
    }

    private static string Printable(string? value) => new((value ?? "").Where(c => !char.IsControl(c)).Take(100).ToArray());

    private async Task CallAsync(HttpContext context, CdsService service, CdsClient client, JsonElement body)
    {
        var violations = new List<FieldViolation>();
        var call = CdsHookCallReader.Read(body, service, violations);
        var sessions = call is null ? [] : HookSessions.Read(call, service, options.Value, clock.GetUtcNow(), violations);
        if (call is null || violations.Count > 0)
        {
            CdsHooksLog.Refused(log, service.Id, StatusCodes.Status400BadRequest, string.Join(", ", violations.Select(v => v.Field).Distinct(StringComparer.Ordinal)));
            await CdsJson.WriteErrorAsync(context.Response, StatusCodes.Status400BadRequest, "The call is not a CDS Hooks call this service can read.", violations).ConfigureAwait(false);
            return;
        }

        if (sessions.Count == 0)
        {
            await Answer(StatusCodes.Status200OK, [], "no massage session in the hook's context").ConfigureAwait(false);
            return;
        }

        if (sessions.Count > options.Value.MaxSessionsPerCall)
        {
            await CdsJson.WriteErrorAsync(context.Response, StatusCodes.Status400BadRequest, "Too many sessions in one call.",
                [new FieldViolation(service.Hook == CdsServices.AppointmentBook ? "context.appointments" : "context.selections", $"plans {sessions.Count} sessions: at most {options.Value.MaxSessionsPerCall} are checked in one call")]).ConfigureAwait(false);
            return;
        }

        var revision = rules.Current;
        var gathered = await data.GatherAsync(call, client, sessions.Min(s => s.LocalDate), context.RequestAborted).ConfigureAwait(false);
        if (gathered.Failure is { } failure)
        {
            CdsHooksLog.FhirServerFailed(log, service.Id, client.Issuer, failure);
            await Answer(StatusCodes.Status412PreconditionFailed, [cards.CheckNotMade(null, "The child's data could not be had from the EHR, so the check was not made:", [failure], revision?.RuleSet.Identity)], "FHIR data unavailable").ConfigureAwait(false);
            return;
        }

        var caller = new Caller(client.Issuer);
        var answer = new List<JsonObject>();
        var status = StatusCodes.Status200OK;
        var mapper = revision is null ? null : new FhirRequestMapper(revision.RuleSet.Catalog);
        foreach (var session in sessions)
        {
            // With several sessions, each card's summary ends with its session's local date and time (the date the
            // session is decided on); the resource id is in the verdict card's detail, not the summary.
            var prefix = sessions.Count > 1 ? "session " + session.When : null;
            DecisionOutcome outcome;
            FhirMapped? mapped = null;
            if (mapper is null)
            {
                // No rule set: the pipeline answers unavailable (and counts it) without a request to decide.
                outcome = await pipeline.DecideAsync(null, new UnvalidatedRequest(), caller, context.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                switch (mapper.Map(gathered.Resources!, session.Session))
                {
                    case FhirRejected rejected:
                        answer.Add(cards.RecordProblems(prefix, rejected.Violations, revision!.RuleSet.Identity));
                        continue;
                    case FhirMapped m:
                        mapped = m;
                        outcome = await pipeline.DecideAsync(revision, m.Request, caller, context.RequestAborted).ConfigureAwait(false);
                        break;
                    default:
                        throw new InvalidOperationException("Unknown mapping result.");
                }
            }

            var stop = outcome.Match(
                decided =>
                {
                    answer.AddRange(cards.ForDecision(decided, prefix, session, [.. session.Notes, .. mapped!.Ignored]));
                    return false;
                },
                rejected =>
                {
                    answer.Add(cards.RecordProblems(prefix, rejected.Violations.Select(mapped!.ToFhir), revision?.RuleSet.Identity));
                    return false;
                },
                unavailable =>
                {
                    // The whole call is answered unavailable, with one card and no verdict: the EHR sends it again
                    // (Retry-After), so the cards of sessions already decided would be shown twice, or shown beside an
                    // answer that tells the EHR the check is not made.
                    answer.Clear();
                    answer.Add(cards.CheckNotMade(null, unavailable.Message, [unavailable.Code], revision?.RuleSet.Identity));
                    status = StatusCodes.Status503ServiceUnavailable;
                    return true;
                });
            if (stop)
            {
                context.Response.Headers.RetryAfter = "30";
                break;
            }
        }

        await Answer(status, answer, status == StatusCodes.Status200OK ? "checked" : "unavailable").ConfigureAwait(false);

        Task Answer(int code, IReadOnlyList<JsonObject> list, string what)
        {
            CdsHooksLog.Answered(log, service.Id, client.Issuer, code, sessions.Count, list.Count, what);
            return CdsJson.WriteCardsAsync(context.Response, code, list);
        }
    }

    private async Task FeedbackAsync(HttpContext context, CdsService service, CdsClient client, JsonElement body)
    {
        var violations = new List<FieldViolation>();
        var items = FeedbackReader.Read(body, client.Issuer, service.Id, pseudonymiser, clock.GetUtcNow(), violations);
        if (violations.Count > 0)
        {
            await CdsJson.WriteErrorAsync(context.Response, StatusCodes.Status400BadRequest, "The feedback cannot be read.", violations).ConfigureAwait(false);
            return;
        }

        try
        {
            await feedback.RecordAsync(items, violations, context.RequestAborted).ConfigureAwait(false);
        }
        catch (AuditStoreUnavailableException ex)
        {
            CdsHooksLog.FeedbackNotRecorded(log, service.Id, ex.Message);
            context.Response.Headers.RetryAfter = "30";
            await CdsJson.WriteErrorAsync(context.Response, StatusCodes.Status503ServiceUnavailable, "The feedback could not be recorded in the audit trail; send it again later.").ConfigureAwait(false);
            return;
        }

        if (violations.Count > 0)
        {
            await CdsJson.WriteErrorAsync(context.Response, StatusCodes.Status400BadRequest, "The feedback names cards this service did not issue; nothing was recorded.", violations).ConfigureAwait(false);
            return;
        }

        CdsHooksLog.FeedbackRecorded(log, service.Id, client.Issuer, items.Count);
        await CdsJson.WriteAsync(context.Response, StatusCodes.Status200OK, new JsonObject { ["recorded"] = items.Count }).ConfigureAwait(false);
    }
}
