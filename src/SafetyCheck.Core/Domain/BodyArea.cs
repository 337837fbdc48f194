namespace SafetyCheck.Core.Domain;

/// <summary>An area of the body a session may touch or a precaution may exclude.</summary>
public enum BodyArea
{
    Unspecified = 0,
    WholeBody = 1,
    Head = 2,
    Face = 3,
    Neck = 4,
    Chest = 5,
    Abdomen = 6,
    Back = 7,
    Arms = 8,
    Hands = 9,
    Legs = 10,
    Feet = 11,
}
