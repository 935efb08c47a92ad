package io.servicehealth.demo;

import io.servicehealth.schema.CampaignCategory;
import io.servicehealth.schema.CampaignLevel;
import io.servicehealth.schema.CatalogEntry;
import io.servicehealth.schema.EntityKind;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A province's catalog shaped on the domain brief: ~100 products (36 class-1, 20 class-2, the rest
 * class-3 in proportion), ~1,000 campaigns over the six categories — a few province-wide ones with
 * sub-activities, the rest city campaigns — and a dozen regions with their subscriber bases.
 */
public final class DemoCatalog {
    public static final int PRODUCTS = 100;
    public static final int PARENT_CAMPAIGNS = 40;
    public static final int CAMPAIGNS = 1_000;
    public static final String[] REGIONS = {"GZ", "SZ", "FS", "DG", "ZS", "ZH", "JM", "ST", "HZ", "MZ", "ZJ", "QY"};

    final List<CatalogEntry> entries = new ArrayList<>();
    final long[] productBase = new long[PRODUCTS];
    final long[] campaignBase = new long[CAMPAIGNS];
    final String[] campaignRegion = new String[CAMPAIGNS];
    final int[] campaignProduct = new int[CAMPAIGNS];

    DemoCatalog(Instant validFrom, long seed) {
        Random random = new Random(seed);
        for (int r = 0; r < REGIONS.length; r++) {
            entries.add(CatalogEntry.newBuilder().setKind(EntityKind.REGION).setId(REGIONS[r]).setName("Region " + REGIONS[r])
                    .setSubscriberBase(500_000L + 250_000L * (REGIONS.length - r)).setValidFrom(validFrom).build());
        }
        for (int p = 0; p < PRODUCTS; p++) {
            int productClass = p < 32 ? 1 : p < 50 ? 2 : 3;
            productBase[p] = productClass == 1 ? 300_000 + random.nextInt(700_000) : productClass == 2 ? 50_000 + random.nextInt(150_000) : 5_000 + random.nextInt(45_000);
            entries.add(CatalogEntry.newBuilder().setKind(EntityKind.PRODUCT).setId(productId(p)).setName("Product " + p)
                    .setProductClass(productClass).setSubscriberBase(productBase[p]).setValidFrom(validFrom).build());
        }
        CampaignCategory[] categories = {CampaignCategory.BASE_PLAN, CampaignCategory.VOICE_ADDON, CampaignCategory.PREPAY_REWARD,
                CampaignCategory.HANDSET, CampaignCategory.DATA_ENTERPRISE, CampaignCategory.MOBILE_FIXED_BUNDLE};
        for (int c = 0; c < CAMPAIGNS; c++) {
            boolean parent = c < PARENT_CAMPAIGNS;
            campaignBase[c] = parent ? 100_000 + random.nextInt(200_000) : 5_000 + random.nextInt(45_000);
            campaignRegion[c] = REGIONS[random.nextInt(REGIONS.length)];
            campaignProduct[c] = random.nextInt(PRODUCTS);
            CatalogEntry.Builder entry = CatalogEntry.newBuilder().setKind(EntityKind.CAMPAIGN).setId(campaignId(c))
                    .setName((parent ? "Province campaign " : "Campaign ") + c).setCampaignCategory(categories[c % categories.length])
                    .setCampaignLevel(parent ? CampaignLevel.PROVINCE : CampaignLevel.CITY)
                    .setRegionId(parent ? null : campaignRegion[c]).setSubscriberBase(campaignBase[c]).setValidFrom(validFrom);
            if (!parent && c % 4 == 0) {
                entry.setParentCampaignId(campaignId(c % PARENT_CAMPAIGNS)); // a sub-activity (子活动)
            }
            entries.add(entry.build());
        }
    }

    public List<CatalogEntry> entries() {
        return entries;
    }

    static String productId(int p) {
        return String.format("P%03d", p);
    }

    static String campaignId(int c) {
        return String.format("C%04d", c);
    }
}
