using System.Text.Json;
using Parley.Core.Json;
using Parley.Core.Rooms;

namespace Parley.Core.Tests.Json;

public sealed class ParleyJsonTests
{
    [Fact]
    public void Members_are_camel_case_and_enums_are_strings()
    {
        var json = JsonSerializer.Serialize(new RoomDto("r_1", "Team", RoomKind.Direct, DateTimeOffset.UnixEpoch, 3), ParleyJson.Options);

        Assert.Equal("""{"id":"r_1","name":"Team","kind":"direct","createdAt":"1970-01-01T00:00:00+00:00","lastSeq":3}""", json);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"name":null}""")]
    public void Missing_or_null_required_members_are_malformed(string json) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<CreateRoomRequest>(json, ParleyJson.Options));
}
