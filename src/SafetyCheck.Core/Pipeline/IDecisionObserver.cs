namespace SafetyCheck.Core.Pipeline;

/// <summary>
/// Port: told of every outcome, once, by the pipeline, after it is logged: what metrics count (decisions by verdict
/// and revision, each rule's firing and errors from <see cref="Evaluation.Assessment.Trace"/>, latency, rejections by
/// field, unavailability by reason). Called on the request's thread: keep it quick, never block, never throw (an
/// exception is logged and does not change the outcome). The assessment holds the patient_ref: never export it.
/// </summary>
public interface IDecisionObserver
{
    /// <summary>A decision was made and recorded.</summary>
    /// <param name="decision">The decision.</param>
    /// <param name="elapsed">From the request entering the pipeline to its record being durable.</param>
    void Decided(Decided decision, TimeSpan elapsed);

    /// <summary>A request was rejected for its field violations.</summary>
    void Rejected(Rejected rejection, TimeSpan elapsed);

    /// <summary>A request could not be answered.</summary>
    void Unavailable(Unavailable unavailable, TimeSpan elapsed);
}
