using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Parley.Server.Storage;

/// <summary>
/// The one model of Parley's state. Each database provider has its own derived context
/// (<see cref="SqliteParleyDbContext"/>, <see cref="PostgresParleyDbContext"/>) only so that each has its own
/// generated migrations (EF Core's "multiple context types" pattern for several providers); services depend on this type.
/// </summary>
public abstract partial class ParleyDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();
    public DbSet<Device> Devices => Set<Device>();
    public DbSet<Session> Sessions => Set<Session>();
    public DbSet<Room> Rooms => Set<Room>();
    public DbSet<RoomMember> RoomMembers => Set<RoomMember>();
    public DbSet<RoomInvitation> RoomInvitations => Set<RoomInvitation>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<LiveConnection> LiveConnections => Set<LiveConnection>();
    public DbSet<Blob> Blobs => Set<Blob>();
    public DbSet<BlobChunk> BlobChunks => Set<BlobChunk>();
    public DbSet<Chunk> Chunks => Set<Chunk>();
    public DbSet<Transfer> Transfers => Set<Transfer>();
    public DbSet<TransferChunk> TransferChunks => Set<TransferChunk>();
    public DbSet<Upload> Uploads => Set<Upload>();
    public DbSet<PakeSession> PakeSessions => Set<PakeSession>();
    public DbSet<IssuedTicket> IssuedTickets => Set<IssuedTicket>();
    public DbSet<ConsumedTicket> ConsumedTickets => Set<ConsumedTicket>();
    public DbSet<PakeFrame> PakeFrames => Set<PakeFrame>();
    public DbSet<PakeClaim> PakeClaims => Set<PakeClaim>();
    public DbSet<SharedSecret> SharedSecrets => Set<SharedSecret>();
    public DbSet<TicketKey> TicketKeys => Set<TicketKey>();
    public DbSet<SignInFailure> SignInFailures => Set<SignInFailure>();
    public DbSet<FeatureLibraryVersion> FeatureLibraryVersions => Set<FeatureLibraryVersion>();
    public DbSet<ScanVerdict> ScanVerdicts => Set<ScanVerdict>();
    public DbSet<Quarantine> Quarantines => Set<Quarantine>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no timestamp type that sorts and compares; store instants as ticks so queries
        // can filter and order on them.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<Core.Rooms.RoomKind>().HaveConversion<string>();
        configurationBuilder.Properties<Core.Messaging.MessageKind>().HaveConversion<string>();
        configurationBuilder.Properties<Core.Transfer.TransferState>().HaveConversion<string>();
        configurationBuilder.Properties<Core.Transfer.DedupTier>().HaveConversion<string>();
        configurationBuilder.Properties<Core.Passphrase.PakeState>().HaveConversion<string>();
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        MapAccounts(model);
        MapRooms(model);
        MapTransfer(model);
        MapPassphrase(model);
        MapBroadcast(model);
        MapScanning(model);
        MapViews(model);
        MapSharedSecrets(model);
    }

    /// <summary>The tables of users, their devices, sessions and failed sign-ins.</summary>
    private static void MapAccounts(ModelBuilder model)
    {
        model.Entity<User>(e =>
        {
            e.ToTable("users");
            e.HasIndex(u => u.UserName).IsUnique();
        });
        model.Entity<Device>(e =>
        {
            e.ToTable("devices");
            e.HasIndex(d => d.UserId);
            e.HasIndex(d => d.PublicKey).IsUnique();
            References<Device, User>(e, d => d.UserId);
        });
        model.Entity<Session>(e =>
        {
            e.ToTable("sessions");
            e.HasIndex(s => s.TokenHash).IsUnique();
            e.HasIndex(s => s.UserId);
            References<Session, User>(e, s => s.UserId);
            References<Session, Device>(e, s => s.DeviceId);
        });
        model.Entity<SignInFailure>(e =>
        {
            e.ToTable("sign_in_failures");
            e.HasIndex(f => new { f.UserId, f.FailedAt });
            References<SignInFailure, User>(e, f => f.UserId);
        });
    }

    /// <summary>The tables of rooms, members, invitations, messages and live connections.</summary>
    private static void MapRooms(ModelBuilder model)
    {
        model.Entity<Room>(e =>
        {
            e.ToTable("rooms");
            e.HasIndex(r => r.DirectKey).IsUnique();
            References<Room, User>(e, r => r.CreatedBy);
        });
        model.Entity<RoomMember>(e =>
        {
            e.ToTable("room_members");
            e.HasKey(m => new { m.RoomId, m.UserId });
            e.HasIndex(m => m.UserId);
            References<RoomMember, Room>(e, m => m.RoomId);
            References<RoomMember, User>(e, m => m.UserId);
        });
        model.Entity<RoomInvitation>(e =>
        {
            e.ToTable("room_invitations");
            e.HasKey(i => new { i.RoomId, i.UserId });
            e.HasIndex(i => i.UserId);
            References<RoomInvitation, Room>(e, i => i.RoomId);
            References<RoomInvitation, User>(e, i => i.UserId);
            References<RoomInvitation, User>(e, i => i.InvitedBy);
        });
        model.Entity<Message>(e =>
        {
            e.ToTable("messages");
            e.HasIndex(m => new { m.RoomId, m.Seq }).IsUnique();
            e.HasIndex(m => new { m.RoomId, m.SenderId, m.ClientMessageId }).IsUnique();
            e.HasIndex(m => m.MediaContentId);
            References<Message, Room>(e, m => m.RoomId);
            References<Message, User>(e, m => m.SenderId);
            // Rows from before edits and deletions existed are messages.
            e.Property(m => m.Kind).HasDefaultValue(Core.Messaging.MessageKind.Message);
            e.HasIndex(m => m.ReplyToId);
            e.HasIndex(m => m.TargetId);
            References<Message, Message>(e, m => m.ReplyToId);
            References<Message, Message>(e, m => m.TargetId);
        });
        model.Entity<LiveConnection>(e =>
        {
            e.ToTable("live_connections");
            e.HasKey(c => c.ConnectionId);
            e.HasIndex(c => c.UserId);
            e.HasIndex(c => c.NodeId);
            e.HasIndex(c => c.ExpiresAt);
            References<LiveConnection, User>(e, c => c.UserId);
        });
    }

    /// <summary>The tables of content-addressed blobs and chunks, transfers and their tus uploads.</summary>
    private static void MapTransfer(ModelBuilder model)
    {
        model.Entity<Blob>(e => e.ToTable("blobs"));
        model.Entity<BlobChunk>(e =>
        {
            e.ToTable("blob_chunks");
            e.HasKey(c => new { c.BlobId, c.Index });
            e.HasIndex(c => c.ChunkId);
            References<BlobChunk, Blob>(e, c => c.BlobId);
            References<BlobChunk, Chunk>(e, c => c.ChunkId);
        });
        model.Entity<Chunk>(e => e.ToTable("chunks"));
        model.Entity<Transfer>(e =>
        {
            e.ToTable("transfers");
            e.HasIndex(t => t.UserId);
            e.HasIndex(t => t.ContentId);
            e.HasIndex(t => t.State);
            References<Transfer, User>(e, t => t.UserId);
            References<Transfer, Room>(e, t => t.RoomId);
        });
        model.Entity<TransferChunk>(e =>
        {
            e.ToTable("transfer_chunks");
            e.HasKey(c => new { c.TransferId, c.Index });
            e.HasIndex(c => c.ChunkId);
            References<TransferChunk, Transfer>(e, c => c.TransferId);
        });
        model.Entity<Upload>(e =>
        {
            e.ToTable("uploads");
            e.HasIndex(u => u.TransferId).IsUnique();
            References<Upload, Transfer>(e, u => u.TransferId);
            References<Upload, User>(e, u => u.UserId);
        });
    }

    /// <summary>The tables of SPAKE2 sessions, their relayed frames and code claims.</summary>
    private static void MapPassphrase(ModelBuilder model)
    {
        model.Entity<PakeSession>(e =>
        {
            e.ToTable("pake_sessions");
            e.HasIndex(p => p.Slot).IsUnique();
            e.HasIndex(p => p.InitiatorId);
            e.HasIndex(p => p.ResponderId);
            e.HasIndex(p => p.BlamedUserId);
            References<PakeSession, User>(e, p => p.InitiatorId);
            References<PakeSession, User>(e, p => p.ResponderId);
            References<PakeSession, User>(e, p => p.BlamedUserId);
        });
        model.Entity<PakeFrame>(e =>
        {
            e.ToTable("pake_frames");
            e.HasKey(f => new { f.SessionId, f.Seq });
            References<PakeFrame, PakeSession>(e, f => f.SessionId);
            References<PakeFrame, User>(e, f => f.SenderId);
        });
        model.Entity<PakeClaim>(e =>
        {
            e.ToTable("pake_claims");
            e.HasIndex(c => new { c.UserId, c.ClaimedAt });
            References<PakeClaim, User>(e, c => c.UserId);
        });
    }

    /// <summary>The tables of tickets issued and consumed and the keys that sign them.</summary>
    private static void MapBroadcast(ModelBuilder model)
    {
        model.Entity<IssuedTicket>(e =>
        {
            e.ToTable("issued_tickets");
            e.HasKey(t => t.TicketId);
            e.HasIndex(t => t.ExpiresAt);
            References<IssuedTicket, User>(e, t => t.UserId);
        });
        model.Entity<ConsumedTicket>(e =>
        {
            e.ToTable("consumed_tickets");
            e.HasKey(t => t.TicketId);
            e.HasIndex(t => t.ExpiresAt);
        });
        model.Entity<TicketKey>(e =>
        {
            e.ToTable("ticket_keys");
            e.Property(k => k.Id).ValueGeneratedNever();
            e.HasIndex(k => k.CreatedAt);
        });
    }

    /// <summary>The published feature library versions, the second detection's verdicts, and quarantined media.</summary>
    private static void MapScanning(ModelBuilder model)
    {
        model.Entity<FeatureLibraryVersion>(e =>
        {
            e.ToTable("feature_library_versions");
            e.HasKey(v => v.Version);
            e.Property(v => v.Version).ValueGeneratedNever();
        });
        model.Entity<ScanVerdict>(e =>
        {
            e.ToTable("scan_verdicts");
            e.HasIndex(v => new { v.ContentId, v.LibraryVersion });
            e.HasIndex(v => new { v.UserId, v.CreatedAt });
            e.HasIndex(v => v.CreatedAt);
            References<ScanVerdict, User>(e, v => v.UserId);
        });
        model.Entity<Quarantine>(e =>
        {
            e.ToTable("quarantines");
            e.HasKey(q => q.ContentId);
        });
    }

    /// <summary>The secrets every node of a deployment reads from the one database.</summary>
    private static void MapSharedSecrets(ModelBuilder model) =>
        model.Entity<SharedSecret>(e =>
        {
            e.ToTable("shared_secrets");
            e.HasKey(s => s.Name);
        });

    /// <summary>
    /// A column that names another row is a foreign key (with the index EF adds for it). None cascades: Parley
    /// deletes dependent rows itself, first, so a delete that would orphan a row is a bug the database refuses.
    /// </summary>
    private static void References<TDependent, TPrincipal>(EntityTypeBuilder<TDependent> entity, Expression<Func<TDependent, object?>> key)
        where TDependent : class where TPrincipal : class =>
        entity.HasOne<TPrincipal>().WithMany().HasForeignKey(key).OnDelete(DeleteBehavior.Restrict);
}
